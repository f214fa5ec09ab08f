/**
 * @module model/content
 * The model's common causes, checked and normalized: served content (configuration, feature
 * flags, policies, signing keys, service catalogues) and the components that read it with their
 * own cache settings; fleets that share a software version, a configuration source or a
 * per-host limit; a component's replica with its lag; and a component sharded by region, zone or
 * cell. Kept apart from `semantics.ts`, which calls `resolveCommonCauses` once with the merged
 * sections and adds what it returns to the model.
 *
 * Content ids and fleet ids are failure units of the audit (see `analysis/compile.ts`), so they
 * share one namespace with components, DNS records and failure domains.
 */
import type { Mutable, Origin, Refer, Report } from "./checking.js";
import type { FlatDomain } from "./domains.js";
import type { ComponentInput, FleetInput } from "./schema.js";
import type { PathKey, SourceFile } from "./source.js";
import type {
  ChangeRollout,
  Component,
  Content,
  ContentRead,
  Dependency,
  Fleet,
  Placement,
  Replication,
  Shards,
} from "./types.js";

/** Defaults of a content read; documented in docs/model.md. */
export const READ_DEFAULTS = { refresh: 60, lastKnownGood: "fail-closed" } as const;

export interface CommonCauses {
  readonly contents: Content[];
  readonly reads: ContentRead[];
  readonly fleets: Fleet[];
  /** Per component id: its replica and shards, when declared. */
  readonly extras: ReadonlyMap<string, Pick<Component, "replication" | "shards" | "backup">>;
}

type RolloutInput = { staged: boolean; stages?: number | undefined; bake?: number | undefined };

export function resolveCommonCauses(
  components: ReadonlyMap<string, Origin<ComponentInput>>,
  fleetInputs: ReadonlyMap<string, Origin<FleetInput>>,
  /** Names already taken by components, DNS records, failure domains. */
  taken: (id: string) => string | undefined,
  report: Report,
  refer: Refer,
): CommonCauses {
  const contents: Content[] = [];
  const served = new Map<string, { server: string; source: SourceFile; path: PathKey[] }>();
  const extras = new Map<string, Pick<Component, "replication" | "shards" | "backup">>();

  for (const [cid, { value: c, source, path }] of components) {
    for (const [name, s] of Object.entries(c.serves ?? {})) {
      const spath = [...path, "serves", name];
      const first = served.get(name);
      if (first) {
        const at = first.source.locate(first.path, "key");
        report(
          "duplicate-id",
          source,
          spath,
          `content '${name}' is already served by '${first.server}' (${at.file}:${at.line})`,
          { at: "key" },
        );
        continue;
      }
      const clash = taken(name);
      if (clash) {
        report(
          "duplicate-id",
          source,
          spath,
          `'${name}' names both content and a ${clash}; findings need distinct names`,
          { at: "key" },
        );
        continue;
      }
      served.set(name, { server: cid, source, path: spath });
      const out = { id: name, kind: s.kind, server: cid } as Mutable<Content>;
      if (s.size !== undefined) out.size = s.size;
      if (s.entries !== undefined) out.entries = s.entries;
      const rollout = rolloutOf(s.rollout, source, [...spath, "rollout"], report);
      if (rollout) out.rollout = rollout;
      if (s.regenerate !== undefined) {
        if (s.regenerate <= 0)
          report(
            "impossible-value",
            source,
            [...spath, "regenerate"],
            "regenerate must be positive: the period at which the server publishes a fresh version",
          );
        else out.regenerate = s.regenerate;
      }
      out.loc = source.locate(spath, "key");
      contents.push(out);
    }
  }

  const reads: ContentRead[] = [];
  for (const [cid, { value: c, source, path }] of components) {
    const entries: [string, NonNullable<ComponentInput["reads"]> | null, PathKey[]][] = [];
    if (Array.isArray(c.reads)) {
      c.reads.forEach((name, i) => {
        entries.push([name, null, [...path, "reads", i]]);
      });
    } else {
      for (const [name, r] of Object.entries(c.reads ?? {}))
        entries.push([name, r as never, [...path, "reads", name]]);
    }
    const seen = new Set<string>();
    for (const [name, raw, rpath] of entries) {
      const keyed = !Array.isArray(c.reads);
      if (!refer(source, rpath, "content", name, served, keyed ? "key" : "value")) continue;
      if (seen.has(name)) {
        report("duplicate-id", source, rpath, `'${cid}' already reads '${name}'`);
        continue;
      }
      seen.add(name);
      const r = (raw ?? {}) as {
        refresh?: number;
        ttl?: number;
        lastKnownGood?: ContentRead["lastKnownGood"];
        validate?: { maxSize?: number; maxEntries?: number; fields?: string[] };
        limits?: { maxSize?: number; maxEntries?: number };
      };
      const refresh = r.refresh ?? READ_DEFAULTS.refresh;
      if (refresh <= 0)
        report("impossible-value", source, [...rpath, "refresh"], "refresh must be positive");
      if (r.ttl !== undefined && r.ttl < refresh) {
        report(
          "impossible-value",
          source,
          [...rpath, "ttl"],
          `a copy that expires after ${r.ttl}s is gone before the next refresh (every ${refresh}s): make ttl at least the refresh interval`,
        );
      }
      const out = {
        reader: cid,
        content: name,
        refresh,
      } as Mutable<ContentRead>;
      if (r.ttl !== undefined) out.ttl = r.ttl;
      out.lastKnownGood = r.lastKnownGood ?? READ_DEFAULTS.lastKnownGood;
      if (r.validate) {
        const v: Mutable<NonNullable<ContentRead["validate"]>> = {};
        if (r.validate.maxSize !== undefined) v.maxSize = r.validate.maxSize;
        if (r.validate.maxEntries !== undefined) v.maxEntries = r.validate.maxEntries;
        if (r.validate.fields !== undefined) v.fields = [...r.validate.fields];
        out.validate = v;
      }
      if (r.limits) {
        const l: Mutable<NonNullable<ContentRead["limits"]>> = {};
        if (r.limits.maxSize !== undefined) l.maxSize = r.limits.maxSize;
        if (r.limits.maxEntries !== undefined) l.maxEntries = r.limits.maxEntries;
        out.limits = l;
      }
      out.loc = source.locate(rpath, keyed ? "key" : "value");
      reads.push(out);
    }

    const extra: Mutable<Pick<Component, "replication" | "shards" | "backup">> = {};
    if (c.replication) {
      const rpath = [...path, "replication"];
      const ok = refer(
        source,
        [...rpath, "replica"],
        "component",
        c.replication.replica,
        components,
      );
      if (ok && c.replication.replica === cid) {
        report(
          "impossible-value",
          source,
          [...rpath, "replica"],
          `'${cid}' cannot be its own replica`,
        );
      }
      const failover = c.replication.failover ?? "manual";
      if (c.replication.failoverAfter !== undefined && failover !== "automatic")
        report(
          "impossible-value",
          source,
          [...rpath, "failoverAfter"],
          "failoverAfter is how long an automatic failover takes; with a manual one, the failover action says when — write failover: automatic or drop it",
          { at: "key" },
        );
      const replication: Replication = {
        replica: c.replication.replica,
        lag: c.replication.lag,
        failover,
        failoverAfter: c.replication.failoverAfter ?? 0,
      };
      extra.replication = replication;
    }
    if (c.shards) extra.shards = { by: c.shards.by } satisfies Shards;
    if (c.backup) {
      const bpath = [...path, "backup"];
      if (c.backup.every <= 0)
        report("impossible-value", source, [...bpath, "every"], "every must be above 0s");
      extra.backup = { every: c.backup.every, restore: c.backup.restore };
    }
    if (extra.replication || extra.shards || extra.backup) extras.set(cid, extra);
  }

  const fleets: Fleet[] = [];
  for (const [fid, { value: f, source, path }] of fleetInputs) {
    const clash = taken(fid) ?? (served.has(fid) ? "content" : undefined);
    if (clash) {
      report(
        "duplicate-id",
        source,
        path,
        `'${fid}' names both a fleet and a ${clash}; findings need distinct names`,
        { at: "key" },
      );
    }
    const members: string[] = [];
    f.members.forEach((m, i) => {
      if (!refer(source, [...path, "members", i], "component", m, components)) return;
      if (members.includes(m)) {
        report("duplicate-id", source, [...path, "members", i], `'${m}' is listed twice`);
        return;
      }
      members.push(m);
    });
    if (f.members.length < 2) {
      report(
        "impossible-value",
        source,
        [...path, "members"],
        "a fleet is two components or more that fail as one; one component is already a unit",
      );
    }
    const rollout = rolloutOf(f.rollout, source, [...path, "rollout"], report);
    fleets.push({
      id: fid,
      members: members.sort(),
      shares: [...new Set(f.shares)].sort(),
      ...(rollout ? { rollout } : {}),
      ...(f.description !== undefined ? { description: f.description } : {}),
      loc: source.locate(path, "key"),
    });
  }

  return {
    contents: contents.sort(byId),
    reads: reads.sort((a, b) => cmp(a.reader, b.reader) || cmp(a.content, b.content)),
    fleets: fleets.sort(byId),
    extras,
  };
}

/**
 * Checks a component's shards against its placement once the placement is known: each
 * placement domain holds one shard, so the domains must be of the kind the shards are split by.
 */
export function checkShards(
  c: ComponentInput,
  placement: Placement | undefined,
  domains: ReadonlyMap<string, FlatDomain>,
  source: SourceFile,
  path: readonly PathKey[],
  report: Report,
): void {
  if (!c.shards || !placement) return;
  const spath = [...path, "shards", "by"];
  if (placement.domains.length < 2) {
    report(
      "impossible-value",
      source,
      [...path, "shards"],
      "shards need a placement in several domains: one shard per zone, region or cell",
      { at: "key" },
    );
    return;
  }
  const wrong = placement.domains.filter((d) => domains.get(d)?.kind !== c.shards?.by);
  if (wrong.length > 0) {
    const kinds = [...new Set(placement.domains.map((d) => domains.get(d)?.kind ?? "?"))];
    report(
      "impossible-value",
      source,
      spath,
      `shards by ${c.shards.by}, but the placement's domains are ${kinds.join(", ")} (${wrong.join(", ")})`,
      { suggestion: kinds[0] },
    );
  }
  if (c.redundancy !== undefined && c.redundancy !== "any") {
    report(
      "impossible-value",
      source,
      [...path, "redundancy"],
      "a sharded component holds each part of its state in one domain: redundancy is per shard, not across them",
      { at: "key" },
    );
  }
}

function rolloutOf(
  r: RolloutInput | undefined,
  source: SourceFile,
  path: readonly PathKey[],
  report: Report,
): ChangeRollout | undefined {
  if (!r) return undefined;
  if (!r.staged && (r.stages !== undefined || r.bake !== undefined)) {
    report(
      "impossible-value",
      source,
      path,
      "stages and bake describe a staged rollout: set staged: true, or drop them",
      { at: "key" },
    );
  }
  if (r.staged && r.stages !== undefined && r.stages < 2) {
    report(
      "impossible-value",
      source,
      [...path, "stages"],
      "a staged rollout has two stages or more",
    );
  }
  const out = { staged: r.staged } as Mutable<ChangeRollout>;
  if (r.stages !== undefined) out.stages = r.stages;
  if (r.bake !== undefined) out.bake = r.bake;
  return out;
}

/** Whether a content read is hit by a bad version all at once: no stages, no last good kept. */
export function exposedRead(content: Content, read: ContentRead): boolean {
  return content.rollout?.staged !== true && read.lastKnownGood !== "keep";
}

/** Whether a fleet fails as one: a shared limit always; a shared version unless staged. */
export function fleetIsUnit(fleet: Fleet): boolean {
  if (fleet.shares.includes("host-limit")) return true;
  return fleet.rollout?.staged !== true;
}

const byId = <T extends { id: string }>(a: T, b: T) => cmp(a.id, b.id);

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The reads the model implies: a component called with `auth: idp` validates the tokens `idp`
 * issues against the signing keys `idp` serves (content of kind `signing-keys`), so it reads
 * them — with the defaults, unless it declares the read itself. Returns every read, sorted by
 * reader then content.
 */
export function withKeyReads(
  contents: readonly Content[],
  reads: readonly ContentRead[],
  dependencies: readonly Dependency[],
): ContentRead[] {
  const keysOf = new Map<string, string[]>();
  for (const c of contents)
    if (c.kind === "signing-keys") keysOf.set(c.server, [...(keysOf.get(c.server) ?? []), c.id]);
  if (keysOf.size === 0) return [...reads];
  const has = new Set(reads.map((r) => `${r.reader}\u0000${r.content}`));
  const out = [...reads];
  const add = (reader: string, idp: string | undefined, d: Dependency) => {
    for (const content of keysOf.get(idp ?? "") ?? []) {
      const key = `${reader}\u0000${content}`;
      if (has.has(key) || reader === idp) continue;
      has.add(key);
      out.push({
        reader,
        content,
        refresh: READ_DEFAULTS.refresh,
        lastKnownGood: READ_DEFAULTS.lastKnownGood,
        implicit: true,
        loc: d.loc,
      });
    }
  };
  for (const d of dependencies) {
    add(d.to, d.auth, d);
    if (d.fallback) add(d.fallback.to, d.fallback.auth, d);
  }
  return out.sort((a, b) =>
    a.reader < b.reader ? -1 : a.reader > b.reader ? 1 : a.content < b.content ? -1 : 1,
  );
}
