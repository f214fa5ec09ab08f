/**
 * @module scenario/changes
 * A scenario's what-if `changes`, checked against the model: each names a dependency the model
 * has, records and identities it knows, changes something, and — in the order the changes
 * apply (`orderedChanges`) — stops a call before making it again, and changes a stopped call
 * only by making it again.
 */
import { suggest } from "../model/diagnostics.js";
import type { SourceFile } from "../model/source.js";
import type { Model } from "../model/types.js";
import { orderedChanges } from "./apply.js";
import type { Refer, Report } from "./checks.js";
import type { ChangeInput } from "./schema.js";
import type { ModelChange } from "./types.js";

/** What the scenario's checks share with these: where to report, and what the model has. */
export interface ChangeContext {
  readonly source: SourceFile;
  readonly model: Model;
  readonly report: Report;
  readonly refer: Refer;
  readonly components: ReadonlyMap<string, unknown>;
  readonly records: ReadonlySet<string>;
  readonly duration: number;
  /** "the scenario ends at …", for messages. */
  readonly ends: string;
}

/** The changes that hold up, in file order; what is wrong with the others is reported. */
export function buildChanges(entries: readonly ChangeInput[], ctx: ChangeContext): ModelChange[] {
  const { source, model, report, refer, components, records, duration, ends } = ctx;
  const changes: ModelChange[] = [];
  // Each change's index in the file (entries with bad references are left out of `changes`).
  const changeEntry: number[] = [];
  entries.forEach((entry, i) => {
    const x = entry.dependency;
    const path = ["changes", i, "dependency"];
    const loc = source.locate(["changes", i]);
    const okFrom = refer([...path, "from"], "component", x.from, components);
    const okTo = refer([...path, "to"], "component", x.to, components);
    if (!okFrom || !okTo) return;
    const deps = model.dependencies.filter((d) => d.from === x.from);
    if (!deps.some((d) => d.to === x.to)) {
      report(
        "unknown-reference",
        [...path, "to"],
        `${x.from} has no dependency on '${x.to}' to change (it depends on ${
          deps.length === 0 ? "nothing" : [...new Set(deps.map((d) => d.to))].sort().join(", ")
        })`,
        {
          suggestion: suggest(
            x.to,
            deps.map((d) => d.to),
          ),
        },
      );
      return;
    }
    let via: string | null | undefined;
    if (x.via !== undefined) {
      via = x.via === "none" ? null : x.via;
      if (via !== null && refer([...path, "via"], "DNS record", via, records)) {
        const record = model.records.find((r) => r.name === via);
        const answers = [...(record?.targets ?? []), ...(record?.failover?.targets ?? [])];
        if (!answers.includes(x.to))
          report(
            "impossible-value",
            [...path, "via"],
            `DNS record ${via} does not answer with ${x.to}`,
          );
      }
    }
    let auth: string | null | undefined;
    if (x.auth !== undefined) {
      auth = x.auth === "none" ? null : x.auth;
      if (auth !== null) refer([...path, "auth"], "component", auth, components);
    }
    if (x.disable === true)
      for (const key of ["cache", "via", "auth"] as const)
        if (x[key] !== undefined)
          report(
            "impossible-value",
            [...path, key],
            `a call that is disabled has no ${key} to change — drop ${key}, or make the call again with disable: false`,
          );
    if (
      x.disable === undefined &&
      x.cache === undefined &&
      x.via === undefined &&
      x.auth === undefined
    )
      report(
        "impossible-value",
        path,
        "this change changes nothing — give cache, via, auth or disable",
        { at: "key" },
      );
    if (x.at !== undefined && x.at >= duration)
      report("impossible-value", [...path, "at"], `this change never takes effect: ${ends}`);
    changeEntry.push(i);
    changes.push({
      kind: "dependency",
      from: x.from,
      to: x.to,
      ...(x.cache
        ? {
            cache: {
              ttl: x.cache.ttl,
              staleIfError: x.cache.staleIfError ?? 0,
              hitRatio: x.cache.hitRatio ?? 1,
              latency: x.cache.latency ?? 0,
            },
          }
        : {}),
      ...(via !== undefined ? { via } : {}),
      ...(auth !== undefined ? { auth } : {}),
      ...(x.disable !== undefined ? { disable: x.disable } : {}),
      ...(x.at !== undefined ? { at: x.at } : {}),
      loc,
    });
  });
  // A call is made again only after something stopped it, and a call stopped is changed only
  // by making it again (in the order the changes apply).
  const stopped = new Set<string>();
  orderedChanges(changes).forEach(({ change, index }) => {
    const key = `${change.from}\u0000${change.to}`;
    const path = ["changes", changeEntry[index] as number, "dependency"];
    if (change.disable === false && !stopped.has(key))
      report(
        "impossible-value",
        [...path, "disable"],
        `${change.from} already calls ${change.to}: disable: false makes a disabled call again — disable it by an earlier change, or drop this one`,
      );
    else if (change.disable !== false && stopped.has(key))
      report(
        "impossible-value",
        change.disable === true ? [...path, "disable"] : path,
        `${change.from} no longer calls ${change.to} by then (an earlier change disabled it) — make it again with disable: false${change.disable === true ? ", or drop this one" : " and these options"}`,
        change.disable === true ? {} : { at: "key" },
      );
    if (change.disable === true) stopped.add(key);
    else if (change.disable === false) stopped.delete(key);
  });
  return changes;
}
