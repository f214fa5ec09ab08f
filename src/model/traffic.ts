/**
 * @module model/traffic
 * The traffic a model carries, checked against the rest of the model and normalized: queues
 * (their service, consumers and dead-letter queue) and workloads (their entry, rate over time
 * and the users who come back after a failure).
 */
import { compareText } from "./arrays.js";
import { DEFAULTS, type Origin, type Refer, type Report } from "./checking.js";
import type { ModelFile } from "./schema.js";
import type { Queue, Workload } from "./types.js";

type QueueInput = NonNullable<ModelFile["queues"]>[string];
type WorkloadInput = NonNullable<ModelFile["workloads"]>[string];

/** The model's queues, in the order declared. */
export function buildQueues(
  queues: ReadonlyMap<string, Origin<QueueInput>>,
  components: ReadonlyMap<string, unknown>,
  report: Report,
  refer: Refer,
): Queue[] {
  const outQueues: Queue[] = [];
  for (const [qid, { value: q, source, path }] of queues) {
    if (q.service !== undefined)
      refer(source, [...path, "service"], "component", q.service, components);
    const consumers = Object.entries(q.consumers ?? {}).map(([cid, spec]) => {
      refer(source, [...path, "consumers", cid], "component", cid, components, "key");
      return typeof spec === "number"
        ? { component: cid, rate: spec }
        : {
            component: cid,
            rate: spec.rate,
            ...(spec.concurrency !== undefined ? { concurrency: spec.concurrency } : {}),
          };
    });
    if (q.deadLetter !== undefined) {
      if (
        refer(source, [...path, "deadLetter"], "queue", q.deadLetter, queues) &&
        q.deadLetter === qid
      ) {
        report(
          "impossible-value",
          source,
          [...path, "deadLetter"],
          "a queue cannot be its own dead-letter queue",
        );
      }
      if (q.maxReceives === undefined) {
        report(
          "missing-key",
          source,
          [...path, "deadLetter"],
          "a dead-letter queue needs maxReceives: how many receives send a message there",
          {
            at: "key",
          },
        );
      }
    }
    outQueues.push({
      id: qid,
      ...(q.service !== undefined ? { service: q.service } : {}),
      consumers: consumers.sort((a, b) => compareText(a.component, b.component)),
      retention: q.retention ?? DEFAULTS.retention,
      visibilityTimeout: q.visibilityTimeout ?? DEFAULTS.visibilityTimeout,
      ...(q.maxReceives !== undefined ? { maxReceives: q.maxReceives } : {}),
      ...(q.deadLetter !== undefined ? { deadLetter: q.deadLetter } : {}),
      loc: source.locate(path, "key"),
    });
  }
  return outQueues;
}

/** The model's workloads, in the order declared. */
export function buildWorkloads(
  workloads: ReadonlyMap<string, Origin<WorkloadInput>>,
  components: ReadonlyMap<string, unknown>,
  report: Report,
  refer: Refer,
): Workload[] {
  const outWorkloads: Workload[] = [];
  for (const [wid, { value: w, source, path }] of workloads) {
    refer(source, [...path, "entry"], "component", w.entry, components);
    const profile = w.profile ?? [];
    profile.forEach((p, i) => {
      const prev = profile[i - 1];
      if (prev && p.at <= prev.at) {
        report(
          "impossible-value",
          source,
          [...path, "profile", i, "at"],
          "profile points must be in increasing time order",
        );
      }
    });
    if (w.rate <= 0)
      report("impossible-value", source, [...path, "rate"], "a workload needs a positive rate");
    if (w.returnRate !== undefined && w.returnRate <= 0)
      report(
        "impossible-value",
        source,
        [...path, "returnRate"],
        "returnRate 0% means nobody comes back: leave returnRate and returnAfter out, or write a share above 0% (e.g. 30%)",
      );
    if (w.returnRate !== undefined && w.returnRate >= 1)
      report(
        "impossible-value",
        source,
        [...path, "returnRate"],
        "returnRate must be below 100%: if every failed request came back, an outage would offer unbounded load (write e.g. 50%)",
      );
    if (w.returnRate !== undefined && w.returnAfter === undefined)
      report(
        "missing-key",
        source,
        [...path, "returnRate"],
        "returnRate needs returnAfter: how long users wait before they try again (e.g. returnAfter: 1m)",
      );
    if (w.returnAfter !== undefined && w.returnRate === undefined)
      report(
        "missing-key",
        source,
        [...path, "returnAfter"],
        "returnAfter needs returnRate: the share of failed requests whose users try again (e.g. returnRate: 50%)",
      );
    if (w.returnAfter !== undefined && w.returnAfter <= 0)
      report(
        "impossible-value",
        source,
        [...path, "returnAfter"],
        "returnAfter must be above 0s: users take some time to try again",
      );
    outWorkloads.push({
      id: wid,
      entry: w.entry,
      rate: w.rate,
      profile: profile.map((p) => ({ at: p.at, rate: p.rate })),
      ...(w.returnRate !== undefined && w.returnRate > 0 && w.returnAfter !== undefined
        ? { returnRate: w.returnRate, returnAfter: w.returnAfter }
        : {}),
      ...(w.slo !== undefined ? { slo: w.slo } : {}),
      ...(w.rto !== undefined ? { rto: w.rto } : {}),
      ...(w.tier !== undefined ? { tier: w.tier } : {}),
      loc: source.locate(path, "key"),
    });
  }
  return outWorkloads;
}
