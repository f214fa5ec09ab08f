import type { PathKey } from "../model/source.js";
import type { Model } from "../model/types.js";
import { formatPercent } from "../model/units.js";
import type { Refer, Report } from "./checks.js";
import type { FaultInput } from "./schema.js";
import type { ContentFaultKind, ContentFaultSpec } from "./types.js";

type ContentFaultInput = Extract<FaultInput, { kind: ContentFaultKind }>;

export interface ContentFaultContext {
  readonly model: Model;
  /** Ids of the scenario's faults, for `trigger`. */
  readonly faultIds: ReadonlySet<string>;
  readonly report: Report;
  readonly refer: Refer;
}

export function buildContentFault(
  id: string,
  f: ContentFaultInput,
  path: readonly PathKey[],
  ctx: ContentFaultContext,
): ContentFaultSpec | undefined {
  const { model, report, refer } = ctx;
  const contents = new Map((model.contents ?? []).map((c) => [c.id, c]));
  const content = contents.get(f.target);
  if (!content) {
    const server = model.components.find((c) => c.id === f.target);
    if (server) {
      const served = (model.contents ?? []).filter((c) => c.server === f.target).map((c) => c.id);
      report(
        "unknown-reference",
        [...path, "target"],
        served.length > 0
          ? `'${f.target}' is a component; ${f.kind} acts on the content it serves: ${served.join(", ")}`
          : `'${f.target}' is a component and serves no content; declare what it publishes under its serves: and aim ${f.kind} at that`,
        served.length > 0 ? { suggestion: served[0] as string } : {},
      );
    } else refer([...path, "target"], "content", f.target, contents);
    return undefined;
  }
  const readers = (model.reads ?? []).filter((r) => r.content === f.target);
  if (readers.length === 0)
    report(
      "impossible-value",
      [...path, "target"],
      `nothing reads ${f.target}, so a bad version of it harms no one — add it to a component's reads:`,
    );
  const positive = (key: string, value: number | undefined, what: string) => {
    if (value !== undefined && value <= 0)
      report("impossible-value", [...path, key], `${what} must be above 0`);
  };

  const generations = f.generations ?? 1;
  positive("generations", f.generations, "the share of bad regenerations");
  if (f.generations !== undefined && content.regenerate === undefined)
    report(
      "impossible-value",
      [...path, "generations"],
      `${f.target} is not regenerated (its serves: entry has no regenerate:), so there are no regenerations to be ${formatPercent(generations)} bad — give the content a regenerate: period, or drop generations`,
      { at: "key" },
    );
  const common = { delay: f.delay ?? 0, generations };

  switch (f.kind) {
    case "bad-config": {
      const effect = f.effect ?? "down";
      let rate = 1;
      if (effect === "wrong-answers") {
        positive("rate", f.rate, "the share of wrong answers");
        rate = f.rate ?? 1;
      } else if (effect === "error-rate") {
        if (f.rate === undefined)
          report("missing-key", [...path, "effect"], "'rate' is required with effect: error-rate", {
            at: "key",
            expected: "a percentage such as 30%",
          });
        else {
          positive("rate", f.rate, "the error rate");
          rate = f.rate;
        }
      } else if (f.rate !== undefined)
        report(
          "impossible-value",
          [...path, "rate"],
          "'rate' goes with effect: error-rate or wrong-answers; a version with effect down fails the hosts that take it",
          { at: "key" },
        );
      positive("hosts", f.hosts, "the share of hosts harmed");
      positive("repair", f.repair, "the time to repair a host by hand");
      if (f.repair !== undefined && effect !== "down")
        report(
          "impossible-value",
          [...path, "repair"],
          `'repair' goes with effect: down (hosts the version fails); with ${effect} the hosts keep running and fetch the next version themselves`,
          { at: "key" },
        );
      if (f.trigger !== undefined) {
        if (f.trigger === id)
          report("impossible-value", [...path, "trigger"], "a fault cannot be its own trigger");
        else refer([...path, "trigger"], "fault", f.trigger, ctx.faultIds);
      }
      return {
        kind: f.kind,
        target: f.target,
        version: versionOf(f),
        effect,
        rate,
        hosts: f.hosts ?? 1,
        after: f.after ?? 0,
        ...(f.trigger !== undefined ? { trigger: f.trigger } : {}),
        ...(f.repair !== undefined ? { repair: f.repair } : {}),
        ...common,
      };
    }
    case "config-oversize": {
      if (f.size === undefined && f.entries === undefined)
        report(
          "missing-key",
          path,
          "config-oversize says how large the content grows: give size, entries or both",
          { at: "key", expected: "size: 2MB or entries: 400" },
        );
      else if (
        !readers.some(
          (r) =>
            over(f.size, r.validate?.maxSize) ||
            over(f.entries, r.validate?.maxEntries) ||
            over(f.size, r.limits?.maxSize) ||
            over(f.entries, r.limits?.maxEntries),
        ) &&
        readers.length > 0
      )
        report(
          "impossible-value",
          f.entries !== undefined ? [...path, "entries"] : [...path, "size"],
          `no reader of ${f.target} validates or limits it below this, so growing to it changes nothing — give readers validate: or limits: in the model, or a larger size`,
        );
      return {
        kind: f.kind,
        target: f.target,
        version: versionOf(f),
        effect: "none",
        rate: 1,
        hosts: 1,
        after: 0,
        ...common,
      };
    }
    case "key-removed": {
      if (content.kind !== "signing-keys")
        report(
          "impossible-value",
          [...path, "target"],
          `${f.target} is ${content.kind}, not signing-keys; key-removed is for the key sets relying parties validate tokens with — use bad-config for other content`,
        );
      positive("rate", f.rate, "the share of requests signed with the key");
      positive("hosts", f.hosts, "the share of hosts");
      return {
        kind: f.kind,
        target: f.target,
        version: { missing: [] },
        effect: "error-rate",
        rate: f.rate ?? 1,
        hosts: f.hosts ?? 1,
        after: 0,
        ...common,
      };
    }
  }
}

function versionOf(f: {
  size?: number | undefined;
  entries?: number | undefined;
  missing?: readonly string[] | undefined;
}) {
  return {
    ...(f.size !== undefined ? { size: f.size } : {}),
    ...(f.entries !== undefined ? { entries: f.entries } : {}),
    missing: [...(f.missing ?? [])],
  };
}

function over(value: number | undefined, limit: number | undefined): boolean {
  return value !== undefined && limit !== undefined && value > limit;
}
