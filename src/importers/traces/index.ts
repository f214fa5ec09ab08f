/**
 * @module importers/traces
 * Traces to call edges with what they measured. Two inputs:
 *
 * - **OTLP JSON** (`otlp.ts`): a call from service A to service B is a span of B whose parent
 *   is a span of A. Calls per request are A's calls to B over the requests A served (its spans
 *   whose parent is elsewhere or absent); latencies are the client span's when there is one
 *   (what the caller waited), else the callee's; rates are counts over the time the export
 *   spans. A client span with no child elsewhere is a call to something uninstrumented, named
 *   by `peer.service`, else `db.system`/`db.name`, `messaging.destination.name` or
 *   `server.address`. Root spans are the workloads entering the system.
 * - **Jaeger's dependencies** (`/api/dependencies`: `{ data: [{ parent, child, callCount }] }`,
 *   or the bare list): call edges with their counts, and nothing more.
 *
 * Traces show calls, not whether a caller can do without them, nor where anything runs: their
 * kinds are guesses that any other source overrides, and placement comes from elsewhere.
 */

import { appendAll, maxOf } from "../../model/arrays.js";
import type { ComponentKind } from "../../model/types.js";
import { FragmentBuilder, list, num, provenance, record } from "../fragment.js";
import { serviceOfHost } from "../hosts.js";
import type { Importer, Provenance, SourceDocument } from "../types.js";
import { cmp, durationText, rateText, toId } from "../units.js";
import { isOtlp, readSpans, type Span } from "./otlp.js";

export function isJaegerDependencies(data: unknown): boolean {
  const items = Array.isArray(data) ? data : record(data)?.data;
  return (
    Array.isArray(items) &&
    items.length > 0 &&
    items.every(
      (i) => typeof record(i)?.parent === "string" && typeof record(i)?.child === "string",
    )
  );
}

export const tracesImporter: Importer = {
  format: "traces",
  detect: (doc) => isOtlp(doc.data) || isJaegerDependencies(doc.data),
  run(docs) {
    const out = new FragmentBuilder("traces");
    const spans: Span[] = [];
    for (const doc of docs) {
      if (isJaegerDependencies(doc.data)) {
        readJaeger(doc, out);
        continue;
      }
      if (!isOtlp(doc.data)) {
        out.report(
          "invalid-input",
          "error",
          { file: doc.file, ...doc.locate([]) },
          "not traces: expected OTLP JSON (resourceSpans) or Jaeger dependencies (data: [{ parent, child, callCount }])",
        );
        continue;
      }
      const read = readSpans(doc);
      appendAll(spans, read.spans);
      for (const path of read.invalid)
        out.report(
          "invalid-input",
          "error",
          { file: doc.file, ...doc.locate(path) },
          "a span needs traceId, spanId, startTimeUnixNano and endTimeUnixNano",
        );
    }
    if (spans.length > 0) readCalls(spans, out);
    return out.build();
  },
};

function readJaeger(doc: SourceDocument, out: FragmentBuilder): void {
  const wrapped = !Array.isArray(doc.data);
  const items = wrapped ? list(record(doc.data)?.data) : list(doc.data);
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const d = record(item) ?? {};
    const parent = String(d.parent);
    const child = String(d.child);
    const at = provenance(doc, wrapped ? ["data", i] : [i], `${parent} → ${child}`);
    for (const s of [parent, child])
      if (!seen.has(s)) {
        seen.add(s);
        out.component({
          id: toId(s),
          kind: "api",
          aliases: [s],
          source: { ...at, address: `service ${s}` },
        });
      }
    const count = num(d.callCount);
    out.dependency({
      from: toId(parent),
      to: toId(child),
      ...(count !== undefined ? { observed: { count } } : {}),
      source: at,
    });
  });
}

const key = (s: { traceId: string }, id: string) => `${s.traceId}/${id}`;

function readCalls(all: Span[], out: FragmentBuilder): void {
  const spans = [...all].sort(
    (a, b) =>
      cmp(a.doc.file, b.doc.file) ||
      a.doc.index - b.doc.index ||
      cmp(a.path.join("."), b.path.join(".")),
  );
  const byId = new Map(spans.map((s) => [key(s, s.spanId), s]));
  const at = (s: Span, address: string): Provenance => provenance(s.doc, s.path, address);
  const start = -maxOf(spans.map((s) => -s.start));
  const end = maxOf(spans.map((s) => s.start + s.duration));
  const window = Math.max(1, end - start);

  const services = new Map<
    string,
    { first: Span; entries: number[]; kind: ComponentKind; aliases: Set<string> }
  >();
  const service = (name: string, first: Span, kind: ComponentKind = "api") => {
    let s = services.get(name);
    if (!s) {
      s = { first, entries: [], kind, aliases: new Set([name]) };
      services.set(name, s);
    }
    return s;
  };
  const calls = new Map<string, { from: string; to: string; first: Span; latencies: number[] }>();
  const call = (from: string, to: string, span: Span, latency: number) => {
    const k = `${from}\u0000${to}`;
    const c = calls.get(k) ?? { from, to, first: span, latencies: [] };
    c.latencies.push(latency);
    calls.set(k, c);
  };
  const roots = new Map<string, { first: Span; count: number }>();
  const answered = new Set<string>();

  for (const s of spans) {
    const entry = service(s.service, s);
    const parent = s.parentSpanId !== undefined ? byId.get(key(s, s.parentSpanId)) : undefined;
    if (!parent || parent.service !== s.service) entry.entries.push(s.duration);
    if (s.parentSpanId === undefined) {
      const r = roots.get(s.service) ?? { first: s, count: 0 };
      r.count++;
      roots.set(s.service, r);
    }
    if (parent && parent.service !== s.service) {
      answered.add(key(parent, parent.spanId));
      call(parent.service, s.service, s, parent.kind === "client" ? parent.duration : s.duration);
    }
  }
  // Client spans nobody instrumented answered: calls to a database, a broker, a vendor, named
  // by host when there is one, for the merge to match against what other sources describe.
  const peers = new Map<
    string,
    { caller: string; host?: string; kind: ComponentKind; first: Span; latencies: number[] }
  >();
  for (const s of spans) {
    if ((s.kind !== "client" && s.kind !== "producer") || answered.has(key(s, s.spanId))) continue;
    const a = s.attributes;
    const host = a["server.address"] ?? a["net.peer.name"];
    const name =
      a["peer.service"] ??
      (host !== undefined ? serviceOfHost(host) : undefined) ??
      a["messaging.destination.name"] ??
      a["db.name"] ??
      a["db.system"];
    if (name === undefined) continue;
    const system = a["db.system"];
    const kind: ComponentKind =
      system === "redis" || system === "memcached"
        ? "cache"
        : system !== undefined
          ? "database"
          : a["messaging.system"] !== undefined
            ? "queue-service"
            : "external";
    const k = `${s.service}\u0000${name}`;
    const p = peers.get(k) ?? {
      caller: s.service,
      ...(host !== undefined ? { host } : {}),
      kind,
      first: s,
      latencies: [],
    };
    p.latencies.push(s.duration);
    peers.set(k, p);
  }
  for (const [name, s] of [...services].sort((a, b) => cmp(a[0], b[0]))) {
    const p50 = percentile(s.entries, 0.5);
    out.component({
      id: toId(name),
      kind: s.kind,
      ...(p50 !== undefined && s.kind !== "external" ? { latency: durationText(p50) } : {}),
      aliases: [...s.aliases].sort(),
      source: at(s.first, `service.name=${name}`),
    });
  }
  for (const c of [...calls.values()].sort((a, b) => cmp(a.from, b.from) || cmp(a.to, b.to))) {
    const requests = services.get(c.from)?.entries.length ?? 0;
    const perRequest =
      requests > 0 ? Number((c.latencies.length / requests).toPrecision(3)) : undefined;
    out.dependency({
      from: toId(c.from),
      to: toId(c.to),
      ...(perRequest !== undefined && perRequest > 0 && perRequest <= 1000
        ? { options: { calls: perRequest } }
        : {}),
      observed: observed(c.latencies, window),
      source: at(c.first, `${c.from} → ${c.to} (span ${c.first.name})`),
    });
  }
  for (const [k, p] of [...peers].sort((a, b) => cmp(a[0], b[0]))) {
    const name = k.slice(k.indexOf("\u0000") + 1);
    const requests = services.get(p.caller)?.entries.length ?? 0;
    const perRequest =
      requests > 0 ? Number((p.latencies.length / requests).toPrecision(3)) : undefined;
    out.reference({
      from: toId(p.caller),
      target: p.host ?? name,
      ...(p.host === undefined ? { exact: true } : {}),
      ...(perRequest !== undefined && perRequest > 0 && perRequest <= 1000
        ? { options: { calls: perRequest } }
        : {}),
      observed: observed(p.latencies, window),
      orElse: {
        id: toId(name),
        kind: p.kind,
        aliases: p.host ? [p.host] : [],
        source: at(p.first, `peer ${name}`),
      },
      source: at(p.first, `${p.caller} → ${name} (span ${p.first.name})`),
    });
  }
  for (const [name, r] of [...roots].sort((a, b) => cmp(a[0], b[0])))
    out.workload({
      id: `${toId(name)}-requests`,
      entry: toId(name),
      rate: rateText(r.count / window),
      source: at(r.first, `root spans of ${name}`),
    });
}

function observed(latencies: readonly number[], window: number) {
  return {
    count: latencies.length,
    rate: rateText(latencies.length / window),
    p50: durationText(percentile(latencies, 0.5) as number),
    p99: durationText(percentile(latencies, 0.99) as number),
  };
}

/** Nearest-rank percentile; undefined for no values. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}
