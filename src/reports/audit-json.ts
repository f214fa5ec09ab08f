/**
 * @module reports/audit-json
 * The audit as JSON for programs: the report itself plus the tool that produced it, keys in a
 * fixed order and nothing that changes from run to run (no timestamps), so two runs over the
 * same model can be diffed byte for byte. `schemaVersion` comes first so a reader can check it
 * before anything else.
 *
 * `renderAuditJsonParts` gives the same text in pieces, for a writer that takes them one at a
 * time (see `writeFileAtomic`): the text of a large model runs to hundreds of megabytes, and one
 * string of it, then one buffer of its UTF-8, cost more than the serialization itself.
 */
import type { AuditReport } from "../analysis/analyze.js";
import { type Finding, SEVERITIES } from "../analysis/types.js";
import type { RenderOptions } from "./audit.js";

/** Large arrays are serialized this many elements at a time. */
const PART_ELEMENTS = 1000;

export function renderAuditJson(report: AuditReport, options: RenderOptions): string {
  return [...renderAuditJsonParts(report, options)].join("");
}

/**
 * The text of `renderAuditJson`, in pieces to be written one after the other, each made when it
 * is asked for.
 */
export function renderAuditJsonParts(
  report: AuditReport,
  options: RenderOptions,
): Iterable<string> {
  // NOTE: rebuilt key by key rather than serialized as is, so the order of keys does not depend
  // on how the report object happened to be assembled. Fields this file does not know yet are
  // kept, after the known ones.
  const {
    schemaVersion,
    model,
    summary,
    rules,
    findings,
    cutSets,
    blastRadius,
    sharedUnits,
    recovery,
    availability,
    ...rest
  } = report;
  const {
    components,
    dependencies,
    records,
    domains,
    workloads,
    findings: counts,
    ...summaryRest
  } = summary;
  const document = {
    schemaVersion,
    tool: { name: "faultline", version: options.toolVersion },
    model: { name: model.name, files: model.files },
    summary: {
      components,
      dependencies,
      records,
      domains,
      workloads,
      findings: Object.fromEntries(SEVERITIES.map((s) => [s, counts[s]])),
      ...summaryRest,
    },
    rules: rules.map(({ id, title, description, helpUri, ...more }) => ({
      id,
      title,
      description,
      helpUri,
      ...more,
    })),
    findings,
    cutSets,
    blastRadius,
    sharedUnits,
    recovery,
    availability,
    ...rest,
  };
  return jsonParts(document, { findings: orderedFinding });
}

/**
 * `${JSON.stringify(document, null, 2)}\n` in pieces, the same characters: one piece per
 * top-level field, its large arrays split into runs of elements. The pieces are made as they
 * are asked for, so a writer can let each one go before the next is made. `elements` maps the
 * elements of a top-level array field as they are serialized.
 */
// NOTE: one string of the whole report holds every character in two bytes as soon as one is
// not Latin-1 (an arrow in a message), and is then encoded to UTF-8 whole: at 100k components
// that was a 460 MB string and a 230 MB buffer, and about as much CPU time as the
// serialization. The pieces are encoded one by one, most of them one byte per character.
function* jsonParts(
  document: Record<string, unknown>,
  elements: Readonly<Record<string, (element: never) => unknown>> = {},
): Generator<string> {
  let first = true;
  for (const key of Object.keys(document)) {
    const value = document[key];
    const map = elements[key] as ((element: unknown) => unknown) | undefined;
    if (!Array.isArray(value) || value.length <= PART_ELEMENTS) {
      // `{ key: value }` at depth 0 is the field as it stands at depth 1, between "{\n" and
      // "\n}"; a field JSON.stringify leaves out (undefined, a function) comes back as "{}".
      const field = map && Array.isArray(value) ? value.map(map) : value;
      const text = JSON.stringify({ [key]: field }, null, 2);
      if (text === "{}") continue;
      yield first ? "{\n" : ",\n";
      first = false;
      yield text.slice(2, -2);
      continue;
    }
    yield first ? "{\n" : ",\n";
    first = false;
    // `[[...elements]]` puts the elements at depth 2, as in the document: its text less the
    // brackets around them ("[\n  [\n" and "\n  ]\n]") is the run of elements.
    yield `  ${JSON.stringify(key)}: [\n`;
    for (let i = 0; i < value.length; i += PART_ELEMENTS) {
      const run = value.slice(i, i + PART_ELEMENTS);
      const text = JSON.stringify([map ? run.map(map) : run], null, 2);
      if (i > 0) yield ",\n";
      yield text.slice(6, -6);
    }
    yield "\n  ]";
  }
  yield first ? "{}\n" : "\n}\n";
}

function orderedFinding(finding: Finding) {
  const { rule, key, severity, message, components, remediation, location, data, ...more } =
    finding;
  const { file, line, column, endLine, endColumn } = location;
  return {
    rule,
    key,
    severity,
    message,
    components,
    remediation,
    location: {
      file,
      line,
      column,
      ...(endLine !== undefined ? { endLine } : {}),
      ...(endColumn !== undefined ? { endColumn } : {}),
    },
    ...(data !== undefined ? { data } : {}),
    ...more,
  };
}
