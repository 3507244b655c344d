package dev.taskbridge.run;

import dev.taskbridge.contract.TaskReason;
import dev.taskbridge.keptn.KeptnTaskDefinitionSpec;
import dev.taskbridge.keptn.RuntimeSpec;

/** Which of container / deno / python a definition uses; exactly one must be set. */
public enum Runtime {
  container("", ""),
  deno("/var/data/function.ts", "deno"),
  python("/var/data/function.py", "python");

  private final String scriptPath;
  private final String label;

  Runtime(String scriptPath, String label) {
    this.scriptPath = scriptPath;
    this.label = label;
  }

  public String scriptPath() {
    return scriptPath;
  }

  public static Runtime of(String definition, KeptnTaskDefinitionSpec spec)
      throws DefinitionProblem {
    if (spec == null) {
      throw new DefinitionProblem(
          TaskReason.INVALID_DEFINITION, "KeptnTaskDefinition " + definition + " has no spec");
    }
    int set =
        (spec.container != null ? 1 : 0)
            + (present(spec.deno) ? 1 : 0)
            + (present(spec.python) ? 1 : 0);
    if (set == 0) {
      throw new DefinitionProblem(
          TaskReason.INVALID_DEFINITION,
          "KeptnTaskDefinition " + definition + " defines none of container, deno, python");
    }
    if (set > 1) {
      throw new DefinitionProblem(
          TaskReason.INVALID_DEFINITION,
          "KeptnTaskDefinition "
              + definition
              + " defines more than one of container, deno, python");
    }
    return spec.container != null ? container : present(spec.deno) ? deno : python;
  }

  public RuntimeSpec spec(KeptnTaskDefinitionSpec spec) {
    return this == deno ? spec.deno : this == python ? spec.python : null;
  }

  static boolean present(RuntimeSpec r) {
    return r != null
        && (r.functionRef != null
            || r.inline != null
            || r.httpRef != null
            || r.configMapRef != null
            || r.parameters != null
            || r.secureParameters != null
            || r.cmdParameters != null);
  }

  @Override
  public String toString() {
    return label.isEmpty() ? name() : label;
  }
}
