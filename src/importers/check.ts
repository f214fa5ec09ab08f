/**
 * @module importers/check
 * The model an import is about to write, checked by the model loader's own two stages — the
 * shape (the quick check, then zod for the words when it fails), then the whole-model checks — on the data the YAML is written from, rather than on
 * the text read back: the same checks, without parsing megabytes of YAML again (that alone
 * took longer than the rest of a 10k-resource import). The writer itself is checked by reading
 * its output back in the importers' contract tests.
 */
import { modelFileSchema } from "../model/schema.js";
import { buildModel } from "../model/semantics.js";
import { INVALID, quickParse } from "../model/shape-check.js";
import { shapeDiagnostics } from "../model/shape-issues.js";
import type { SourceFile } from "../model/source.js";
import type { ImportDiagnostic } from "./types.js";

/** Problems the loader would report in the model file `data` written at `output`. */
export function checkModelFile(data: Record<string, unknown>, output: string): ImportDiagnostic[] {
  const source: SourceFile = {
    file: output,
    data,
    diagnostics: [],
    locate: () => ({ file: output, line: 1, column: 1 }),
  };
  // As the loader does: the quick check for a valid file, zod to word the problems of others.
  const quick = quickParse(modelFileSchema, data);
  const parsed =
    quick !== INVALID ? { success: true as const, data: quick } : modelFileSchema.safeParse(data);
  const problems = parsed.success
    ? buildModel([
        { source, data: { ...parsed.data, name: parsed.data.name ?? "check" }, isRoot: true },
      ]).diagnostics
    : shapeDiagnostics(source, parsed.error.issues);
  return problems
    .filter((d) => d.severity === "error")
    .map((d) => ({
      code: "invalid-model",
      severity: "error",
      message: `the imported model does not validate: ${d.path}: ${d.message}`,
      file: output,
      line: 1,
      column: 1,
    }));
}
