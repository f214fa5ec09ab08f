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
  return renderAuditJsonParts(report, options).join("");
}

/** The text of `renderAuditJson`, in pieces to be written one after the other. */
export function renderAuditJsonParts(report: AuditReport, options: RenderOptions): string[] {
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
    findings: findings.map(orderedFinding),
    cutSets,
    blastRadius,
    sharedUnits,
    recovery,
    availability,
    ...rest,
  };
  return jsonParts(document);
}

/**
 * `${JSON.stringify(document, null, 2)}\n` in pieces, the same characters: one piece per
 * top-level field, its large arrays split into runs of elements.
 */
// NOTE: one string of the whole report holds every character in two bytes as soon as one is
// not Latin-1 (an arrow in a message), and is then encoded to UTF-8 whole: at 100k components
// that was a 460 MB string and a 230 MB buffer, and about as much CPU time as the
// serialization. The pieces are encoded one by one, most of them one byte per character.
function jsonParts(document: Record<string, unknown>): string[] {
  const parts: string[] = [];
  for (const key of Object.keys(document)) {
    const value = document[key];
    parts.push(parts.length === 0 ? "{\n" : ",\n");
    if (!Array.isArray(value) || value.length <= PART_ELEMENTS) {
      // `{ key: value }` at depth 0 is the field as it stands at depth 1, between "{\n" and
      // "\n}"; a field JSON.stringify leaves out (undefined, a function) comes back as "{}".
      const text = JSON.stringify({ [key]: value }, null, 2);
      if (text === "{}") parts.pop();
      else parts.push(text.slice(2, -2));
      continue;
    }
    // `[[...elements]]` puts the elements at depth 2, as in the document: its text less the
    // brackets around them ("[\n  [\n" and "\n  ]\n]") is the run of elements.
    parts.push(`  ${JSON.stringify(key)}: [\n`);
    for (let i = 0; i < value.length; i += PART_ELEMENTS) {
      const text = JSON.stringify([value.slice(i, i + PART_ELEMENTS)], null, 2);
      if (i > 0) parts.push(",\n");
      parts.push(text.slice(6, -6));
    }
    parts.push("\n  ]");
  }
  parts.push(parts.length === 0 ? "{}\n" : "\n}\n");
  return parts;
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
