/**
 * @module faultline
 * The library API. The CLI is only a client of what is exported here.
 *
 * @example
 * import { loadModel, analyze } from "faultline";
 * const report = analyze(loadModel("examples/aws-us-east-1.yaml"));
 */
export {
  AUDIT_SCHEMA_VERSION,
  type AuditOptions,
  type AuditReport,
  analyze,
  failsAt,
} from "./analysis/analyze.js";
export type { AnalysisOptions } from "./analysis/context.js";
export {
  analyzeInParallel,
  PARALLEL_FROM,
  type ParallelAuditOptions,
} from "./analysis/parallel.js";
export type { AvailabilityRow } from "./analysis/rules/availability.js";
export type { BlastRow } from "./analysis/rules/blast-radius.js";
export type { RecoveryRow } from "./analysis/rules/recovery.js";
export type { CutSetRow } from "./analysis/rules/spof.js";
export {
  type Finding,
  RULE_IDS,
  type RuleId,
  type RuleMeta,
  SEVERITIES,
  type Severity,
} from "./analysis/types.js";
export {
  CASE_FILE,
  type Case,
  type CaseFile,
  caseFileSchema,
  type LibraryResult,
  type Run,
  readCaseLibrary,
} from "./cases/library.js";
export { CASES_FORMATS, type CasesFormat, renderCases } from "./cases/render.js";
export {
  type Break,
  CASES_SCHEMA_VERSION,
  type CalibratedNumber,
  type CaseScore,
  type FactScore,
  type FactVerdict,
  type LessonsScore,
  type LibraryScore,
  type ScoreOptions,
  scoreCase,
  scoreLibrary,
  type Totals,
  totalsOf,
  VERDICT_WORDS,
} from "./cases/score.js";
export { type BlastRadius, blastRadiusOf, UnknownUnitError } from "./diagram/highlight.js";
export {
  DIAGRAM_FORMATS,
  type DiagramFormat,
  type DiagramOptions,
  renderDiagram,
} from "./diagram/render.js";
export { isSameFile } from "./fs/same-file.js";
export { writeFileAtomic } from "./fs/write-atomic.js";
export { applyCatalogue, type CatalogueOptions } from "./importers/catalogue/apply.js";
export {
  bundledCatalogue,
  type CatalogueResult,
  parseCatalogue,
} from "./importers/catalogue/load.js";
export type { Catalogue, CatalogueFile } from "./importers/catalogue/schema.js";
export {
  formatImportDiagnostic,
  type ImportOptions,
  type ImportResult,
  type ImportSummary,
  importModel,
} from "./importers/import.js";
export {
  type Fragment,
  IMPORT_FORMATS,
  type ImportDiagnostic,
  type Importer,
  type ImportFile,
  type ImportFormat,
} from "./importers/types.js";
export {
  type Diagnostic,
  type DiagnosticCode,
  formatDiagnostic,
  ModelError,
  suggest,
} from "./model/diagnostics.js";
export {
  diskReader,
  displayPath,
  loadModel,
  type ParseResult,
  parseModel,
  type ReadFile,
  readModel,
} from "./model/load.js";
export { modelJsonSchema } from "./model/schema.js";
export type * from "./model/types.js";
export { parseDuration } from "./model/units.js";
export {
  AUDIT_FORMATS,
  AUDIT_RENDERERS,
  type AuditFormat,
  renderAuditParts,
} from "./reports/audit.js";
export {
  type ChainEnd,
  type Explanation,
  type ExplanationStep,
  explain,
  type FormatExplanationOptions,
  formatExplanation,
} from "./reports/explain.js";
export {
  REPORT_DATA_VERSION,
  type ReportData,
  reportData,
  type ViewEdge,
  type ViewNode,
  type ViewRun,
} from "./reports/report-data.js";
export { buildReport, type ReportRun, renderReportHtml } from "./reports/report-html.js";
export {
  SENSITIVITY_FORMATS,
  SENSITIVITY_RENDERERS,
  type SensitivityFormat,
  type SensitivityRenderer,
  type SensitivityRenderOptions,
} from "./reports/sensitivity.js";
export {
  SIM_FORMATS,
  SIM_RENDERERS,
  type SimFormat,
  type SimRenderer,
  type SimRenderOptions,
} from "./reports/sim.js";
export { renderJournalJson } from "./reports/sim-json.js";
export { renderJournalMarkdown } from "./reports/sim-markdown.js";
export { renderJournalText } from "./reports/sim-text.js";
export { renderStory, type StoryOptions } from "./reports/story.js";
export { applyChanges, planChanges } from "./scenario/apply.js";
export {
  loadScenario,
  parseScenario,
  readScenario,
  type ScenarioParseResult,
} from "./scenario/load.js";
export { scenarioJsonSchema } from "./scenario/schema.js";
export * from "./scenario/types.js";
export type { Absent, MeasureUnit, Reading } from "./sensitivity/outcomes.js";
export {
  DEFAULT_SOURCES,
  DEFAULT_SPREAD,
  type Parameter,
  planSensitivity,
  type SensitivityOptions,
  type SensitivityPlan,
  type Side,
  type Variant,
} from "./sensitivity/plan.js";
export type { Adjustment, WrittenForm } from "./sensitivity/quantity.js";
export {
  type ExpectationResult,
  type ExpectationVariation,
  type OutcomeKind,
  type OutcomeResult,
  type ParameterResult,
  SENSITIVITY_SCHEMA_VERSION,
  type SensitivityReport,
  type SideResult,
  type Swing,
} from "./sensitivity/report.js";
export { type RunSensitivityOptions, runSensitivity } from "./sensitivity/sensitivity.js";
export {
  type Listening,
  type ListenOptions,
  listenFaultline,
} from "./serve/listen.js";
export { createFaultlineServer, type ServeOptions } from "./serve/server.js";
export { type SimulateOptions, simulate } from "./sim/engine.js";
export * from "./sim/types.js";
