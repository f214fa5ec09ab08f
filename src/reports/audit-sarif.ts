/**
 * @module reports/audit-sarif
 * The audit as SARIF 2.1.0, the format GitHub code scanning and most CI dashboards read, so
 * findings show up as annotations on the model files in a pull request. One run, one
 * reporting descriptor per rule, one result per finding located in the model file it is about.
 *
 * Two details exist for GitHub's sake: artifact URIs are relative to `options.baseDir` (the
 * repository root) under `%SRCROOT%`, and every result carries a `partialFingerprints` hash of
 * what the finding is about — rule, components, message — but not of where it is, so a finding
 * keeps its identity when lines above it move.
 */
import { createHash } from "node:crypto";
import type { AuditReport } from "../analysis/analyze.js";
import { type Finding, type RuleMeta, type Severity, withRelated } from "../analysis/types.js";
import type { Location } from "../model/types.js";
import { artifactUri } from "./artifact-uri.js";
import type { RenderOptions } from "./audit.js";

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
export const INFORMATION_URI = "https://github.com/faultline-dev/faultline";
/** Key of the fingerprint in `partialFingerprints`; bump the suffix if the hashed input changes. */
export const FINGERPRINT_KEY = "faultline/v1";
const TAGS = ["reliability", "resilience", "architecture"];

type Level = "error" | "warning" | "note";

interface Artifact {
  readonly uri: string;
  readonly uriBaseId?: string;
  readonly index: number;
}

export function sarifLevel(severity: Severity): Level {
  switch (severity) {
    case "critical":
    case "high":
      return "error";
    case "medium":
      return "warning";
    case "low":
    case "info":
      return "note";
  }
}

export function renderAuditSarif(report: AuditReport, options: RenderOptions): string {
  const rules = rulesOf(report);
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  // Keyed by URI, so that two spellings of one file (`./a.yaml`, `a.yaml`) are one artifact.
  const artifacts = new Map<string, Artifact>();
  const artifactOf = (file: string): Artifact => {
    const where = artifactUri(file, options.baseDir);
    const key = `${where.uriBaseId ?? ""} ${where.uri}`;
    let a = artifacts.get(key);
    if (a === undefined) {
      a = { ...where, index: artifacts.size };
      artifacts.set(key, a);
    }
    return a;
  };
  for (const file of report.model.files) if (file !== "") artifactOf(file);

  const seen = new Map<string, number>();
  const results = report.findings.map((f) => {
    const hash = fingerprint(f);
    const n = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, n);
    const file = f.location.file !== "" ? f.location.file : (report.model.files[0] ?? "");
    const index = ruleIndex.get(f.rule);
    return {
      ruleId: f.rule,
      ...(index !== undefined ? { ruleIndex: index } : {}),
      level: sarifLevel(f.severity),
      message: { text: `${withRelated(f)} Remediation: ${f.remediation}` },
      ...(file !== ""
        ? {
            locations: [
              {
                physicalLocation: {
                  artifactLocation: artifactLocation(artifactOf(file)),
                  region: region(f.location),
                },
              },
            ],
          }
        : {}),
      // Identical findings at different places get distinct fingerprints, in report order.
      partialFingerprints: { [FINGERPRINT_KEY]: n === 1 ? hash : `${hash}:${n}` },
      properties: {
        severity: f.severity,
        components: f.components,
        ...(f.related !== undefined ? { related: f.related.map((r) => r.key) } : {}),
      },
    };
  });

  const log = {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "faultline",
            version: options.toolVersion,
            semanticVersion: options.toolVersion,
            informationUri: INFORMATION_URI,
            rules: rules.map(descriptor),
          },
        },
        artifacts: [...artifacts.values()].map((a) => ({ location: artifactLocation(a) })),
        results,
        columnKind: "unicodeCodePoints",
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/** The report's rules, plus any rule a finding names that the report does not describe. */
function rulesOf(report: AuditReport): RuleMeta[] {
  const rules = [...report.rules];
  for (const f of report.findings) {
    if (!rules.some((r) => r.id === f.rule)) {
      rules.push({ id: f.rule, title: f.rule, description: f.rule, helpUri: INFORMATION_URI });
    }
  }
  return rules;
}

function descriptor(rule: RuleMeta) {
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description },
    helpUri: rule.helpUri,
    // NOTE: rules have no single default severity (spof reports low to high depending on what
    // is cut), so every rule defaults to SARIF's own default and each result sets its level.
    defaultConfiguration: { level: "warning" },
    properties: { tags: TAGS },
  };
}

export function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== "")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
}

/** sha256 of the finding's stable key (rule and subject): hex, first 32 characters. */
export function fingerprint(f: Finding): string {
  const input = JSON.stringify([f.rule, f.key]);
  return createHash("sha256").update(input, "utf8").digest("hex").slice(0, 32);
}

function artifactLocation(a: Artifact) {
  return {
    uri: a.uri,
    ...(a.uriBaseId !== undefined ? { uriBaseId: a.uriBaseId } : {}),
    index: a.index,
  };
}

/** A SARIF region: 1-based, so lines and columns below 1 are raised to 1. */
function region(loc: Location) {
  const startLine = atLeastOne(loc.line);
  const startColumn = atLeastOne(loc.column);
  const endLine =
    loc.endLine !== undefined ? Math.max(atLeastOne(loc.endLine), startLine) : undefined;
  // On the start line, a region cannot end before it begins.
  const endColumn =
    loc.endColumn !== undefined &&
    ((endLine ?? startLine) > startLine || atLeastOne(loc.endColumn) >= startColumn)
      ? atLeastOne(loc.endColumn)
      : undefined;
  return {
    startLine,
    startColumn,
    ...(endLine !== undefined ? { endLine } : {}),
    ...(endColumn !== undefined ? { endColumn } : {}),
  };
}

function atLeastOne(n: number): number {
  return Number.isFinite(n) && n >= 1 ? Math.floor(n) : 1;
}
