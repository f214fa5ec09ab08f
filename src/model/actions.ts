/**
 * @module model/actions
 * What the loaders check of an operator action beyond its shape, the same for model and scenario
 * actions: what each kind acts on, and the options that say how much it does.
 */
import type { ActionCondition, ActionKind } from "./types.js";

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
