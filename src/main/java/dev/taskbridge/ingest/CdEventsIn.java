package dev.taskbridge.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskbridge.contract.FieldError;
import dev.taskbridge.contract.RejectionCode;
import dev.taskbridge.contract.Safe;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * CDEvents {@code service.deployed} and {@code service.upgraded} (CDEvents 0.1 to 0.5, type
 * versions {@code 0.1.x} to {@code 0.3.x}) read as a post-deployment event: the namespace from
 * {@code subject.content.environment.id} (or its mapping), the app from the last segment of {@code
 * subject.id}, the version from the purl in {@code subject.content.artifactId}. Errors name the
 * CDEvents field. Pure.
 */
final class CdEventsIn {
  static final String PREFIX = "dev.cdevents.";
  private static final Pattern SERVICE =
      Pattern.compile("dev\\.cdevents\\.service\\.(deployed|upgraded)\\.\\d+\\.\\d+\\.\\d+");
  private static final Pattern READ =
      Pattern.compile("dev\\.cdevents\\.service\\.(deployed|upgraded)\\.0\\.[1-3]\\.\\d+");

  /** The mapped fields of an accepted CDEvent. */
  record Mapped(String namespace, String appName, String appVersion, String artifactId) {}

  private CdEventsIn() {}

  static boolean isCdEvent(String type) {
    return type != null && type.startsWith(PREFIX);
  }

  /** Whether the type is one the bridge reads: service deployed/upgraded, type version 0.1-0.3. */
  static boolean accepted(String type) {
    return type != null && READ.matcher(type).matches();
  }

  /** Why a {@code dev.cdevents.*} type is not read, as the error on {@code type}. */
  static FieldError refusal(String type) {
    if (SERVICE.matcher(type).matches()) {
      return new FieldError(
          "type",
          RejectionCode.UNSUPPORTED_VERSION,
          "CDEvents type versions 0.1.x to 0.3.x (CDEvents 0.1 to 0.5) are read; "
              + Safe.excerpt(type)
              + " is not");
    }
    return new FieldError(
        "type",
        RejectionCode.UNKNOWN_TYPE,
        "of CDEvents, dev.cdevents.service.deployed.<v> and dev.cdevents.service.upgraded.<v> are"
            + " read, was "
            + Safe.excerpt(type));
  }

  /**
   * The fields of a CDEvent's {@code data} ({@code context} and {@code subject}); {@code null} with
   * every problem in {@code errors}.
   */
  static Mapped map(JsonNode data, Map<String, String> environments, List<FieldError> errors) {
    DataFields root = new DataFields(data, "", errors);
    DataFields subject = root.object("subject", true);
    if (subject == null) {
      return null;
    }
    String id = subject.string("id", true, EventValidator.MAX_ATTRIBUTE);
    DataFields content = subject.object("content", true);
    DataFields environment = content == null ? null : content.object("environment", true);
    String environmentId =
        environment == null ? null : environment.string("id", true, EventValidator.MAX_VALUE);
    String artifactId =
        content == null ? null : content.string("artifactId", true, EventValidator.MAX_ATTRIBUTE);
    String appName = id == null ? null : appName(id, errors);
    String version = artifactId == null ? null : purlVersion(artifactId, errors);
    if (environmentId == null || appName == null || version == null) {
      return null;
    }
    return new Mapped(
        environments.getOrDefault(environmentId, environmentId), appName, version, artifactId);
  }

  private static String appName(String subjectId, List<FieldError> errors) {
    String last = subjectId.substring(subjectId.lastIndexOf('/') + 1);
    if (last.isBlank()) {
      errors.add(
          new FieldError(
              "subject.id",
              RejectionCode.INVALID_VALUE,
              "the last /-separated segment of subject.id names the app and is empty: "
                  + Safe.excerpt(subjectId)));
      return null;
    }
    if (last.length() > EventValidator.MAX_VALUE) {
      errors.add(
          new FieldError(
              "subject.id",
              RejectionCode.TOO_LONG,
              "the app name (last segment of subject.id) is longer than "
                  + EventValidator.MAX_VALUE));
      return null;
    }
    return last;
  }

  /**
   * The version of a package URL ({@code pkg:type/namespace/name@version?qualifiers#subpath}),
   * percent-decoded.
   */
  static String purlVersion(String purl, List<FieldError> errors) {
    String field = "subject.content.artifactId";
    if (!purl.startsWith("pkg:")) {
      errors.add(
          new FieldError(
              field,
              RejectionCode.INVALID_VALUE,
              "artifactId must be a package URL (pkg:type/name@version), was "
                  + Safe.excerpt(purl)));
      return null;
    }
    String rest = purl;
    int hash = rest.indexOf('#');
    if (hash >= 0) {
      rest = rest.substring(0, hash);
    }
    int query = rest.indexOf('?');
    if (query >= 0) {
      rest = rest.substring(0, query);
    }
    int at = rest.lastIndexOf('@');
    String encoded = at < 0 ? "" : rest.substring(at + 1);
    if (encoded.isEmpty() || rest.substring(0, at).indexOf('/') < 0) {
      errors.add(
          new FieldError(
              field,
              RejectionCode.INVALID_VALUE,
              "artifactId must carry a version (pkg:type/name@version), was "
                  + Safe.excerpt(purl)));
      return null;
    }
    String version = percentDecode(encoded);
    if (version == null || version.isBlank() || DataFields.hasControl(version)) {
      errors.add(
          new FieldError(
              field,
              RejectionCode.INVALID_VALUE,
              "the version of artifactId is not valid percent-encoded UTF-8: "
                  + Safe.excerpt(encoded)));
      return null;
    }
    if (version.length() > EventValidator.MAX_VALUE) {
      errors.add(
          new FieldError(
              field,
              RejectionCode.TOO_LONG,
              "the version of artifactId is longer than " + EventValidator.MAX_VALUE));
      return null;
    }
    return version;
  }

  /** RFC 3986 percent-decoding ({@code +} stays a plus); {@code null} when malformed. */
  static String percentDecode(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          return null;
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        out.write(hi * 16 + lo);
        i += 2;
      } else {
        int cp = s.codePointAt(i);
        byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
        i += Character.charCount(cp) - 1;
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(out.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
