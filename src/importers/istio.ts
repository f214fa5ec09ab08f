/**
 * @module importers/istio
 * Istio traffic policy to the client behaviour of calls: a VirtualService's `timeout` and
 * `retries` govern every call to the hosts it names, a DestinationRule's `outlierDetection`
 * ejects failing endpoints much as a circuit breaker opens, and a ServiceEntry names a service
 * outside the mesh. Istio says nothing of who calls whom, so its policies are applied by the
 * merge to the calls other sources declare (`PolicyDraft`), over what those sources say.
 *
 * Mapping: `retries.attempts` counts retries, the model's `retry.attempts` counts the first
 * try too (attempts + 1); `perTryTimeout` is the call's timeout when no route timeout is set.
 * Outlier detection becomes `breaker: { errorRate: 100%, minRequests: consecutive5xxErrors,
 * window: interval, openFor: baseEjectionTime }` — it trips on consecutive errors, so an
 * error rate of 100% over that many requests is its nearest equivalent. Of a VirtualService's
 * HTTP routes, the one without `match` (the default route) is read, else the first.
 */
import { FragmentBuilder, list, num, provenance, record, text } from "./fragment.js";
import { serviceOfHost } from "./hosts.js";
import { listed } from "./merge.js";
import type { CallOptions, Importer, Provenance, SourceDocument } from "./types.js";
import { durationText, parseSourceDuration, toId } from "./units.js";

export function isIstio(data: unknown): boolean {
  const api = record(data)?.apiVersion;
  return typeof api === "string" && /^(networking|security|telemetry)\.istio\.io\//.test(api);
}

export const istioImporter: Importer = {
  format: "istio",
  detect: (doc) => isIstio(doc.data),
  run(docs) {
    const out = new FragmentBuilder("istio");
    const ignored: Provenance[] = [];
    for (const doc of docs) {
      const d = record(doc.data) ?? {};
      const kind = text(d.kind) ?? "";
      const name = text(record(d.metadata)?.name) ?? "";
      const spec = record(d.spec) ?? {};
      const at = provenance(doc, [], `${kind}/${name}`);
      if (kind === "VirtualService") virtualService(doc, spec, at, out);
      else if (kind === "DestinationRule") destinationRule(doc, spec, at, out);
      else if (kind === "ServiceEntry") {
        const hosts = list(spec.hosts).map(String);
        if (hosts.length > 0)
          out.component({
            id: toId(name),
            kind: "external",
            placement: { at: "global" },
            aliases: hosts,
            source: at,
          });
      } else ignored.push(at);
    }
    if (ignored.length > 0)
      out.report(
        "ignored",
        "info",
        ignored[0] as Provenance,
        `${ignored.length} Istio object(s) other than VirtualService, DestinationRule and ServiceEntry govern no call's timeout, retries or ejection: not imported (${listed(ignored.map((i) => i.address))})`,
      );
    return out.build();
  },
};

function virtualService(
  doc: SourceDocument,
  spec: Record<string, unknown>,
  at: Provenance,
  out: FragmentBuilder,
): void {
  const routes = list(spec.http).map(record);
  const index = Math.max(
    0,
    routes.findIndex((r) => r !== undefined && r.match === undefined),
  );
  const route = routes[index];
  if (!route) return;
  const options: { -readonly [K in keyof CallOptions]: CallOptions[K] } = {};
  const timeout = parseSourceDuration(route.timeout);
  const retries = record(route.retries);
  const attempts = num(retries?.attempts);
  const perTry = parseSourceDuration(retries?.perTryTimeout);
  if (timeout !== undefined) options.timeout = durationText(timeout);
  else if (perTry !== undefined) options.timeout = durationText(perTry);
  if (attempts !== undefined && attempts >= 0)
    options.retry = { attempts: Math.min(100, Math.round(attempts) + 1) };
  if (Object.keys(options).length === 0) return;
  const source = provenance(doc, ["spec", "http", index], at.address);
  for (const host of list(spec.hosts).map(String))
    out.policy({ to: serviceOfHost(host), options, source });
}

function destinationRule(
  doc: SourceDocument,
  spec: Record<string, unknown>,
  at: Provenance,
  out: FragmentBuilder,
): void {
  const host = text(spec.host);
  const outlier = record(record(spec.trafficPolicy)?.outlierDetection);
  if (host === undefined || !outlier) return;
  const errors =
    num(outlier.consecutive5xxErrors) ??
    num(outlier.consecutiveErrors) ??
    num(outlier.consecutiveGatewayErrors) ??
    5;
  const interval = parseSourceDuration(outlier.interval) ?? 10;
  const ejection = parseSourceDuration(outlier.baseEjectionTime) ?? 30;
  const source = provenance(doc, ["spec", "trafficPolicy", "outlierDetection"], at.address);
  out.policy({
    to: serviceOfHost(host),
    options: {
      breaker: {
        errorRate: "100%",
        minRequests: Math.max(1, Math.round(errors)),
        window: durationText(interval),
        openFor: durationText(ejection),
      },
    },
    source,
  });
}
