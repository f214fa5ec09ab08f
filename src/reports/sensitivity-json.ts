/**
 * @module reports/sensitivity-json
 * A sensitivity analysis as JSON for programs: the report itself after its schema version and
 * the tool that made it. Nothing in it depends on the number of jobs, the order runs finished
 * in or the clock, so the same files give the same bytes. Readings that are not numbers are
 * written as `"never"` or `"not-by-the-end"`; a side that did not run has no reading.
 */
import type { SensitivityReport } from "../sensitivity/report.js";

export function renderSensitivityJson(
  report: SensitivityReport,
  options: { readonly toolVersion: string },
): string {
  const { schemaVersion, ...rest } = report;
  const document = {
    schemaVersion,
    tool: { name: "faultline", version: options.toolVersion },
    ...rest,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
