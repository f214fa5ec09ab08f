/**
 * @module model/dependency
 * One dependency as written under `needs` or `wants`, checked against the rest of the model (a
 * `via` record that points at the target, an `auth` that is an identity service, a fallback
 * other than the caller and the dependency, options that fit together) and normalized with its
 * defaults.
 */
import {
  DEFAULTS,
  IDENTITY_KINDS,
  type Mutable,
  type Origin,
  type Refer,
  type Report,
} from "./checking.js";
import { provenanceLocation, provenanceOf } from "./provenance.js";
import type { ComponentInput, DependencyOptionsInput } from "./schema.js";
import type { PathKey, SourceFile } from "./source.js";
import type { Dependency, DnsRecord, Location } from "./types.js";

/**
 * The dependency of `from` on `to`, normalized; `path` is where it is written, `at` the
 * location of its key (used unless its `source:` names another place).
 */
export function resolveDependency(
  from: string,
  to: string,
  section: "needs" | "wants",
  opts: DependencyOptionsInput | null,
  source: SourceFile,
  path: readonly PathKey[],
  at: Location,
  components: ReadonlyMap<string, Origin<ComponentInput>>,
  records: ReadonlyMap<string, { record: DnsRecord }>,
  report: Report,
  refer: Refer,
): Dependency {
  const o = opts ?? NO_OPTIONS;
  // NOTE: most of a million dependencies have no via, auth or fallback to check, and are
  // spared the object that carries the check's context.
  const reach =
    o.via !== undefined || o.auth !== undefined || o.fallback !== undefined
      ? { from, source, components, records, report, refer }
      : undefined;
  if (reach) checkReach(reach, to, o.via, o.auth, path);
  const fb =
    o.fallback === undefined
      ? undefined
      : typeof o.fallback === "string"
        ? { to: o.fallback }
        : o.fallback;
  if (fb !== undefined) {
    const fpath =
      typeof o.fallback === "string" ? [...path, "fallback"] : [...path, "fallback", "to"];
    if (refer(source, fpath, "component", fb.to, components)) {
      if (fb.to === to || fb.to === from) {
        report(
          "impossible-value",
          source,
          fpath,
          "a fallback must be a component other than the caller and the dependency",
        );
      }
      checkReach(reach as Reach, fb.to, fb.via, fb.auth, [...path, "fallback"]);
    }
  }
  if (o.degraded !== undefined && section === "needs") {
    report(
      "impossible-value",
      source,
      [...path, "degraded"],
      "a degraded mode belongs to soft dependencies: move this dependency under wants",
      {
        at: "key",
      },
    );
  }
  if (o.probe === true) {
    const kind = components.get(from)?.value.kind;
    if (section !== "needs" || kind !== "health-check")
      report(
        "impossible-value",
        source,
        [...path, "probe"],
        "probe belongs to a hard dependency (needs) of a health-check component: what its checks go through",
      );
  }
  if (
    o.retry?.maxBackoff !== undefined &&
    o.retry.backoff !== undefined &&
    o.retry.maxBackoff < o.retry.backoff
  ) {
    report(
      "impossible-value",
      source,
      [...path, "retry", "maxBackoff"],
      "maxBackoff must not be shorter than backoff",
    );
  }
  if (o.cache && o.cache.ttl === 0) {
    report(
      "impossible-value",
      source,
      [...path, "cache", "ttl"],
      "a response cache needs a positive ttl",
    );
  }
  // NOTE: built by assignment rather than conditional spreads, which allocate an object per
  // optional field: this runs once per dependency, a million times in the largest models. The
  // keys are added in the same order either way.
  const dep: Mutable<Dependency> = {
    from,
    to,
    kind: section === "needs" ? "hard" : "soft",
    calls: o.calls ?? 1,
  } as Mutable<Dependency>;
  if (o.timeout !== undefined) dep.timeout = o.timeout;
  if (o.retry) {
    const retry: Mutable<NonNullable<Dependency["retry"]>> = {
      attempts: o.retry.attempts,
      backoff: o.retry.backoff ?? 0,
    } as Mutable<NonNullable<Dependency["retry"]>>;
    if (o.retry.maxBackoff !== undefined) retry.maxBackoff = o.retry.maxBackoff;
    retry.jitter = o.retry.jitter ?? "none";
    if (o.retry.budget !== undefined) retry.budget = o.retry.budget;
    dep.retry = retry;
  }
  if (o.breaker) {
    dep.breaker = {
      errorRate: o.breaker.errorRate,
      window: o.breaker.window ?? DEFAULTS.breakerWindow,
      openFor: o.breaker.openFor ?? DEFAULTS.breakerOpenFor,
      minRequests: o.breaker.minRequests ?? DEFAULTS.breakerMinRequests,
      halfOpenProbes: o.breaker.halfOpenProbes ?? DEFAULTS.breakerHalfOpenProbes,
    };
  }
  if (o.cache)
    dep.cache = {
      ttl: o.cache.ttl,
      staleIfError: o.cache.staleIfError ?? 0,
      hitRatio: o.cache.hitRatio ?? 1,
      latency: o.cache.latency ?? 0,
    };
  if (fb !== undefined) {
    const fallback: Mutable<NonNullable<Dependency["fallback"]>> = { to: fb.to };
    if (fb.via !== undefined) fallback.via = fb.via;
    if (fb.auth !== undefined) fallback.auth = fb.auth;
    dep.fallback = fallback;
  }
  if (o.degraded !== undefined) dep.degradedMode = o.degraded;
  if (o.probe === true) dep.probe = true;
  if (o.via !== undefined) dep.via = o.via;
  if (o.auth !== undefined) dep.auth = o.auth;
  const sources = provenanceOf(o.source, source.file);
  if (sources) dep.sources = sources;
  if (o.implicit !== undefined) dep.implicit = o.implicit;
  dep.loc = provenanceLocation(sources) ?? at;
  return dep;
}

/** Options of a dependency listed without any (`needs: [a, b]`, or `a: null`). */
const NO_OPTIONS: DependencyOptionsInput = {} as DependencyOptionsInput;

/** What checking a `via` and an `auth` needs besides the values: the caller and the model. */
interface Reach {
  readonly from: string;
  readonly source: SourceFile;
  readonly components: ReadonlyMap<string, Origin<ComponentInput>>;
  readonly records: ReadonlyMap<string, { record: DnsRecord }>;
  readonly report: Report;
  readonly refer: Refer;
}

/**
 * A `via` record that exists and points at the target, and an `auth` that is an identity
 * service other than the caller. A module function rather than a closure: most of a million
 * dependencies have neither, and should not allocate one.
 */
function checkReach(
  r: Reach,
  target: string,
  via: string | undefined,
  auth: string | undefined,
  at: readonly PathKey[],
): void {
  const { from, source, components, records, report, refer } = r;
  if (via !== undefined && refer(source, [...at, "via"], "DNS record", via, records)) {
    const record = records.get(via)?.record;
    if (
      record &&
      !record.targets.includes(target) &&
      !(record.failover?.targets ?? []).includes(target)
    ) {
      report(
        "impossible-value",
        source,
        [...at, "via"],
        `DNS record '${via}' does not point at '${target}' (it points at ${record.targets.join(", ")})`,
      );
    }
  }
  if (auth !== undefined && refer(source, [...at, "auth"], "component", auth, components)) {
    const kind = components.get(auth)?.value.kind;
    if (kind !== undefined && !IDENTITY_KINDS.has(kind)) {
      report(
        "impossible-value",
        source,
        [...at, "auth"],
        `'${auth}' is a ${kind}; auth takes an identity or token-service component`,
      );
    }
    if (auth === from)
      report(
        "impossible-value",
        source,
        [...at, "auth"],
        `'${from}' cannot authenticate through itself`,
      );
  }
}
