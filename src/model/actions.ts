/**
 * @module model/actions
 * What the loaders check of an operator action beyond its shape, the same for model and scenario
 * actions: what each kind acts on, and the options that say how much it does; and the model's
 * own actions checked against the model (`buildActions`, called by `semantics.ts`).
 */
import type { Known, Mutable, Origin, Refer, Report } from "./checking.js";
import type { Records } from "./records.js";
import type { ComponentInput, ModelFile } from "./schema.js";
import type { Action, ActionCondition, ActionKind, Trigger } from "./types.js";

type ActionInput = NonNullable<ModelFile["actions"]>[string];

/** The keys that say how much an action does, and the kinds each goes with. */
const ACTION_OPTIONS = {
  rate: {
    kinds: ["throttle", "restart"],
    required: undefined,
    what: "the rate it admits",
  },
  maxWait: {
    kinds: ["throttle", "restart"],
    required: undefined,
    what: "the longest wait it admits work into",
  },
  fraction: {
    kinds: ["shed-load"],
    required: "shed-load",
    what: "shedding load names the fraction it sheds",
  },
  capacity: { kinds: ["scale"], required: undefined, what: "the capacity it will have" },
  factor: { kinds: ["scale"], required: undefined, what: "the factor on its capacity" },
  to: { kinds: ["throttle"], required: undefined, what: "the rate the ramp ends at" },
  over: { kinds: ["throttle", "scale"], required: undefined, what: "how long the ramp takes" },
} as const;

/**
 * What is wrong with an action's options (`rate`, `fraction`, `capacity`, `factor`): a key its
 * kind requires left out, one it does not take, or — for `scale` — not exactly one of capacity
 * and factor. Model and scenario actions are checked alike.
 */
export function actionOptionProblems(a: {
  readonly do: ActionKind;
  readonly rate?: number | undefined;
  readonly fraction?: number | undefined;
  readonly capacity?: number | undefined;
  readonly factor?: number | undefined;
  readonly to?: number | undefined;
  readonly over?: number | undefined;
  readonly maxWait?: number | undefined;
}): {
  readonly key?: keyof typeof ACTION_OPTIONS;
  readonly message: string;
  readonly missing: boolean;
  /** Whether it is located at the key (or at the value). */
  readonly atKey: boolean;
}[] {
  const out: {
    key?: keyof typeof ACTION_OPTIONS;
    message: string;
    missing: boolean;
    atKey: boolean;
  }[] = [];
  for (const key of Object.keys(ACTION_OPTIONS) as (keyof typeof ACTION_OPTIONS)[]) {
    const o = ACTION_OPTIONS[key];
    const v = a[key];
    if ((o.kinds as readonly string[]).includes(a.do)) {
      if (v === undefined && o.required === a.do)
        out.push({ message: `'${key}' is required: ${o.what}`, missing: true, atKey: true });
      else if (v !== undefined && v <= 0)
        out.push({ key, message: `${o.what}; it must be above 0`, missing: false, atKey: false });
    } else if (v !== undefined)
      out.push({
        key,
        message: `'${key}' goes only with do: ${o.kinds.join(" or ")}, not with ${a.do}`,
        missing: false,
        atKey: true,
      });
  }
  if (a.do === "throttle" && a.rate === undefined && a.maxWait === undefined)
    out.push({
      message:
        "a throttle names the rate it admits (rate: 600 rps), the longest wait it admits work into (maxWait: 5m), or both",
      missing: true,
      atKey: true,
    });
  if (a.do === "throttle" && a.to !== undefined && a.rate === undefined)
    out.push({
      message: "a throttle that ramps starts from a rate: give rate as well as to and over",
      missing: true,
      atKey: true,
    });
  if (a.do === "throttle" && (a.to === undefined) !== (a.over === undefined))
    out.push({
      message:
        "a throttle that ramps names both the rate it ends at and how long it takes (to: 1k rps, over: 2h)",
      missing: true,
      atKey: true,
    });
  if (a.do === "scale" && (a.capacity === undefined) === (a.factor === undefined))
    out.push({
      message:
        "scale needs exactly one of capacity (what it will have, e.g. capacity: 2k rps) and factor (e.g. factor: 1.5)",
      missing: a.capacity === undefined,
      atKey: true,
    });
  return out;
}

/**
 * What an action of a kind acts on: a DNS record, a queue, served content or a component.
 * `invalidate-cache` acts on a record and also on content (each reader fetches it again).
 */
export function actionTargetKind(kind: ActionKind): "component" | "record" | "queue" | "content" {
  if (kind === "fix-dns" || kind === "invalidate-cache") return "record";
  if (kind === "rollback-config") return "content";
  if (kind === "purge-queue" || kind === "pause-queue" || kind === "resume-queue") return "queue";
  return "component";
}

/** What an action's condition refers to: its key in the condition, and the id there. */
export function conditionReference(c: ActionCondition): {
  readonly key: "component" | "alarm" | "queue";
  readonly id: string;
} {
  if ("component" in c) return { key: "component", id: c.component };
  if ("alarm" in c) return { key: "alarm", id: c.alarm };
  return { key: "queue", id: c.queue };
}

/** What checking a model's actions needs from the model being built (`semantics.ts`). */
export interface ActionContext {
  readonly report: Report;
  readonly refer: Refer;
  readonly records: Records;
  readonly queues: Known;
  readonly components: ReadonlyMap<string, Origin<ComponentInput>>;
  readonly alarms: Known;
  /** Ids of the served content, which `invalidate-cache` may name. */
  readonly contents: ReadonlySet<string>;
}

/**
 * The model's actions, normalized, each checked against the model: its target of the right sort
 * (a component named where a record is meant gets the records that point at it), its trigger,
 * its options for its kind, its condition's subject, a backup to restore, something to scale.
 */
export function buildActions(
  actions: ReadonlyMap<string, Origin<ActionInput>>,
  ctx: ActionContext,
): Action[] {
  const { report, refer, records, queues, components, alarms, contents: contentIds } = ctx;
  const out: Action[] = [];
  for (const [aid, { value: a, source, path }] of actions) {
    const targetKind = actionTargetKind(a.do);
    const known =
      targetKind === "record"
        ? records
        : targetKind === "queue"
          ? queues
          : targetKind === "content"
            ? contentIds
            : components;
    if (a.do === "invalidate-cache" && contentIds.has(a.target)) {
      // Content: every reader fetches it again.
    } else if (targetKind === "record" && !records.has(a.target) && components.has(a.target)) {
      // A component named where a record is meant: name the records that point at it.
      const pointing = [...records.values()]
        .map((r) => r.record)
        .filter((r) => r.targets.includes(a.target) || r.failover?.targets.includes(a.target))
        .map((r) => r.name)
        .sort();
      report(
        "unknown-reference",
        source,
        [...path, "target"],
        pointing.length > 0
          ? `'${a.target}' is a component; ${a.do} acts on a DNS record, and the records that point at ${a.target} are ${pointing.join(", ")}`
          : `'${a.target}' is a component; ${a.do} acts on a DNS record, and no record points at ${a.target}`,
        pointing.length > 0 ? { suggestion: pointing[0] } : {},
      );
    } else
      refer(
        source,
        [...path, "target"],
        targetKind === "record" ? "DNS record" : targetKind,
        a.target,
        known,
      );
    const restored = a.do === "restore-backup" ? components.get(a.target) : undefined;
    if (restored && !restored.value.backup)
      report(
        "impossible-value",
        source,
        [...path, "target"],
        `${a.target} has no backup to restore from — give it backup: { every, restore }`,
      );
    let trigger: Trigger = { on: "manual" };
    if (a.at !== undefined) {
      // The scenarios' spelling of a time trigger.
      if (a.when !== undefined)
        report(
          "impossible-value",
          source,
          [...path, "when"],
          "an action has one trigger: at (a time), or when (an alarm, a time or manual), not both",
          { at: "key" },
        );
      trigger = { on: "time", at: a.at };
    } else if (a.when !== undefined && a.when !== "manual") {
      if ("alarm" in a.when) {
        refer(source, [...path, "when", "alarm"], "alarm", a.when.alarm, alarms);
        trigger = { on: "alarm", alarm: a.when.alarm };
      } else trigger = { on: "time", at: a.when.at };
    }
    for (const p of actionOptionProblems(a))
      report(
        p.missing ? "missing-key" : "impossible-value",
        source,
        p.key ? [...path, p.key] : path,
        p.message,
        p.atKey ? { at: "key" } : {},
      );
    if (a.if !== undefined) {
      const r = conditionReference(a.if);
      const known = r.key === "component" ? components : r.key === "alarm" ? alarms : queues;
      refer(source, [...path, "if", r.key], r.key, r.id, known);
    }
    const scaled = a.do === "scale" ? components.get(a.target)?.value : undefined;
    if (scaled && scaled.capacity === undefined && scaled.concurrency === undefined)
      report(
        "impossible-value",
        source,
        [...path, "target"],
        `${a.target} declares neither capacity nor concurrency: there is nothing to scale — declare its capacity (or concurrency)`,
      );
    out.push({
      id: aid,
      do: a.do,
      target: a.target,
      trigger,
      delay: a.after ?? 0,
      ...actionParameters(a),
      ...(a.if !== undefined ? { condition: a.if } : {}),
      loc: source.locate(path, "key"),
    });
  }
  return out;
}

/** The parameters of an action, as far as they are given, in the order an action lists them. */
export type ActionParameters = Pick<
  Action,
  "rate" | "fraction" | "capacity" | "factor" | "to" | "over" | "maxWait"
>;

/**
 * The parameters `a` gives, and only those (an absent one is left out, not set to undefined):
 * shared by the model's actions, the scenario's and the engine's copy of either.
 */
export function actionParameters(
  a: {
    readonly [K in keyof ActionParameters]?: ActionParameters[K] | undefined;
  },
): ActionParameters {
  const out: Mutable<ActionParameters> = {};
  if (a.rate !== undefined) out.rate = a.rate;
  if (a.fraction !== undefined) out.fraction = a.fraction;
  if (a.capacity !== undefined) out.capacity = a.capacity;
  if (a.factor !== undefined) out.factor = a.factor;
  if (a.to !== undefined) out.to = a.to;
  if (a.over !== undefined) out.over = a.over;
  if (a.maxWait !== undefined) out.maxWait = a.maxWait;
  return out;
}
