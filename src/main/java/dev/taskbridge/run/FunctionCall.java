package dev.taskbridge.run;

import dev.taskbridge.contract.TaskReason;
import dev.taskbridge.keptn.KeptnTaskDefinition;
import dev.taskbridge.keptn.KeptnTaskSpec;
import dev.taskbridge.keptn.RuntimeSpec;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a deno or python task runs, resolved from the task, its definition and (with {@code
 * functionRef}) the parent definition. Precedence, lowest first: parent, definition, task. The code
 * and the runtime always come from the parent when there is one (as in Keptn). Pure.
 *
 * @param inlineCode code to deliver through the task's own ConfigMap, or null
 * @param configMap an existing ConfigMap holding the code under key {@code code}, or null
 * @param url a script URL the runtime fetches, or null
 */
public record FunctionCall(
    Runtime runtime,
    String inlineCode,
    String configMap,
    String url,
    Map<String, String> parameters,
    String secret,
    String cmdParameters) {

  public static FunctionCall resolve(
      KeptnTaskSpec task, KeptnTaskDefinition definition, KeptnTaskDefinition parent)
      throws DefinitionProblem {
    String name = definition.getMetadata().getName();
    Runtime own = Runtime.of(name, definition.getSpec());
    RuntimeSpec child = own.spec(definition.getSpec());
    Runtime runtime = own;
    RuntimeSpec code = child;
    Map<String, String> params = new TreeMap<>();
    String secret = null;
    String cmd = null;
    if (child.functionRef != null && child.functionRef.name != null) {
      if (parent == null) {
        throw new DefinitionProblem(
            TaskReason.DEFINITION_NOT_FOUND,
            "functionRef of "
                + name
                + " names "
                + child.functionRef.name
                + ", which does not exist");
      }
      runtime = Runtime.of(parent.getMetadata().getName(), parent.getSpec());
      if (runtime == Runtime.container) {
        throw new DefinitionProblem(
            TaskReason.INVALID_DEFINITION,
            "functionRef of " + name + " names a container definition");
      }
      code = runtime.spec(parent.getSpec());
      putAll(params, code.parameters == null ? null : code.parameters.map);
      secret = code.secureParameters == null ? null : code.secureParameters.secret;
      cmd = code.cmdParameters;
    }
    putAll(params, child.parameters == null ? null : child.parameters.map);
    if (child.secureParameters != null && notEmpty(child.secureParameters.secret)) {
      secret = child.secureParameters.secret;
    }
    if (notEmpty(child.cmdParameters)) {
      cmd = child.cmdParameters;
    }
    putAll(params, task.parameters == null ? null : task.parameters.map);
    if (task.secureParameters != null && notEmpty(task.secureParameters.secret)) {
      secret = task.secureParameters.secret;
    }
    String inline = code.inline != null && notEmpty(code.inline.code) ? code.inline.code : null;
    String configMap =
        code.configMapRef != null && notEmpty(code.configMapRef.name)
            ? code.configMapRef.name
            : null;
    String url = code.httpRef != null && notEmpty(code.httpRef.url) ? code.httpRef.url : null;
    if (inline == null && configMap == null && url == null) {
      throw new DefinitionProblem(
          TaskReason.INVALID_DEFINITION,
          "KeptnTaskDefinition "
              + name
              + " has no code: set inline, configMapRef, httpRef or functionRef");
    }
    return new FunctionCall(
        runtime,
        inline,
        inline != null ? null : configMap,
        inline != null || configMap != null ? null : url,
        params,
        secret,
        cmd == null ? "" : cmd);
  }

  private static void putAll(Map<String, String> into, Map<String, String> from) {
    if (from != null) {
      into.putAll(from);
    }
  }

  private static boolean notEmpty(String s) {
    return s != null && !s.isEmpty();
  }
}
