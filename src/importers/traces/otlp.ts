/**
 * @module importers/traces/otlp
 * Spans from an OTLP JSON export (what the OpenTelemetry Collector's file exporter and the
 * OTLP/HTTP JSON encoding write): `resourceSpans[]`, each with the `service.name` of its
 * resource and `scopeSpans[].spans[]` (`instrumentationLibrarySpans` in older exports), each
 * span with `traceId`, `spanId`, `parentSpanId`, `kind` (a number or `SPAN_KIND_CLIENT`),
 * start and end times in nanoseconds since the epoch (as strings, since they exceed a double's
 * integers) and `attributes` as a list of `{ key, value: { stringValue | intValue | … } }`.
 */
import { list, record, text } from "../fragment.js";
import type { PathKey, SourceDocument } from "../types.js";

export interface Span {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly service: string;
  readonly name: string;
  readonly kind: "internal" | "server" | "client" | "producer" | "consumer" | "unspecified";
  /** Start and duration in seconds; the start relative to an arbitrary origin. */
  readonly start: number;
  readonly duration: number;
  readonly attributes: Readonly<Record<string, string>>;
  readonly doc: SourceDocument;
  readonly path: readonly PathKey[];
}

const KINDS = ["unspecified", "internal", "server", "client", "producer", "consumer"] as const;

export function isOtlp(data: unknown): boolean {
  return Array.isArray(record(data)?.resourceSpans);
}

export function readSpans(doc: SourceDocument): { spans: Span[]; invalid: PathKey[][] } {
  const spans: Span[] = [];
  const invalid: PathKey[][] = [];
  list(record(doc.data)?.resourceSpans).forEach((rs, r) => {
    const resource = record(rs);
    const service =
      attributes(record(resource?.resource)?.attributes)["service.name"] ?? "unknown_service";
    const scopes =
      resource?.scopeSpans !== undefined ? "scopeSpans" : "instrumentationLibrarySpans";
    list(resource?.[scopes]).forEach((ss, s) => {
      list(record(ss)?.spans).forEach((sp, i) => {
        const span = record(sp);
        const path: PathKey[] = ["resourceSpans", r, scopes, s, "spans", i];
        const traceId = text(span?.traceId);
        const spanId = text(span?.spanId);
        const start = nanos(span?.startTimeUnixNano);
        const end = nanos(span?.endTimeUnixNano);
        if (
          !span ||
          traceId === undefined ||
          spanId === undefined ||
          start === undefined ||
          end === undefined
        ) {
          invalid.push(path);
          return;
        }
        const rawKind = span.kind;
        const kind =
          typeof rawKind === "number"
            ? (KINDS[rawKind] ?? "unspecified")
            : (String(rawKind ?? "")
                .replace(/^SPAN_KIND_/, "")
                .toLowerCase() as Span["kind"]) || "unspecified";
        spans.push({
          traceId,
          spanId,
          ...(text(span.parentSpanId) !== undefined
            ? { parentSpanId: span.parentSpanId as string }
            : {}),
          service,
          name: text(span.name) ?? "",
          kind: KINDS.includes(kind) ? kind : "unspecified",
          start,
          duration: Math.max(0, end - start),
          attributes: attributes(span.attributes),
          doc,
          path,
        });
      });
    });
  });
  return { spans, invalid };
}

/** Nanoseconds (a string or a number) as seconds. */
function nanos(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v / 1e9;
  if (typeof v !== "string" || !/^\d+$/.test(v)) return undefined;
  // Split so that the seconds keep their nanosecond digits.
  const s = v.padStart(10, "0");
  return Number(s.slice(0, -9)) + Number(s.slice(-9)) / 1e9;
}

/** OTLP attributes as a plain map of strings. */
function attributes(list: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(list)) return out;
  for (const a of list) {
    const key = text(record(a)?.key);
    const value = record(record(a)?.value);
    if (key === undefined || !value) continue;
    const v = value.stringValue ?? value.intValue ?? value.doubleValue ?? value.boolValue;
    if (v !== undefined && v !== null) out[key] = String(v);
  }
  return out;
}
