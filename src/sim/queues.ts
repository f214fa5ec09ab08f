/**
 * @module sim/queues
 * Message queues in the run: their rates from the publishers, the queue service and the
 * consumers as evaluated now (the fluid FIFO itself is `message-queue.ts`), and their state
 * changes in the timeline with what the backlog comes from.
 */

import { markComp } from "./incremental.js";
import type { MessageQueue } from "./message-queue.js";
import { partitionFactor } from "./partitions.js";
import type { Why } from "./state.js";
import { type CompState, DOWN_BELOW, EPS, log, type Sim } from "./state.js";

/**
 * Queue rates from the publishers, the queue service and the consumers as evaluated now, and
 * what each consumer takes from its queue (part of its load: processing a message is a request,
 * which calls the consumer's dependencies). True when an intake changed.
 */
export function updateQueues(sim: Sim): boolean {
  const topo = sim.topo;
  const caps = CAPS;
  let changed = false;
  let slot = 0;
  for (let i = 0; i < sim.queues.length; i++) {
    const q = sim.queues[i] as MessageQueue;
    q.resetRates();
    const service = sim.comps[topo.services[i] as number];
    const serviceUp = !service || service.s >= DOWN_BELOW;
    const cut = service !== undefined && sim.faults.partitions.length > 0;
    let inRate = 0;
    // Messages a partition keeps from the queue service are refused, like those of a service
    // that is down.
    let cutOff = 0;
    for (const p of topo.publishers[i] as number[]) {
      const ps = sim.comps[p] as CompState;
      const rate = Math.min(ps.load, ps.throttle) * (1 - ps.shed) * ps.s;
      const reach = cut ? partitionFactor(sim, ps.c, service.c) : 1;
      inRate += rate * reach;
      cutOff += rate * (1 - reach);
    }
    // A host whose lease is re-established has state to propagate: one message per lease.
    for (const p of topo.leasePublishers[i] as number[])
      inRate += (sim.comps[p] as CompState).leaseRate;
    if (!serviceUp) q.rejectRate = inRate + cutOff;
    else {
      q.inRate = inRate;
      q.rejectRate = cutOff;
    }
    const consumers = topo.consumers[i] as number[];
    const specs = q.q.consumers;
    let total = 0;
    for (let k = 0; k < specs.length; k++) {
      const cs = sim.comps[consumers[k] as number] as CompState;
      const cap =
        !serviceUp || q.paused || cs.process !== "running"
          ? 0
          : Math.min((specs[k] as { rate: number }).rate, cs.throttle) *
            cs.placementUp *
            (cut ? partitionFactor(sim, cs.c, service.c) : 1);
      caps[k] = cap;
      total += cap;
    }
    // Keeping up, consumers share the arrivals (and the messages visible again); behind, each
    // takes all it can.
    const arriving = q.inRate + q.returnRate(sim.t);
    const behind = q.visible > EPS || arriving > total;
    for (let k = 0; k < specs.length; k++) {
      const cap = caps[k] as number;
      const consumer = consumers[k] as number;
      const cs = sim.comps[consumer] as CompState;
      if (cap > 0) q.addConsumer(cap, cs.s);
      const intake = behind ? cap : total > 0 ? (arriving * cap) / total : 0;
      const at = slot + k;
      if (intake !== sim.inc.intake[at]) {
        sim.inc.intake[at] = intake;
        sim.inc.intakeChanged.push(consumer);
        markComp(sim, consumer);
        changed = true;
      }
    }
    slot += specs.length;
  }
  return changed;
}

/** Scratch: each consumer's capacity, for the queue being updated. */
const CAPS: number[] = [];

/** Queues whose backlog started or ended, logged with what it comes from. */
export function classifyQueues(sim: Sim): void {
  for (const q of sim.queues) {
    const state = q.backlog > EPS ? "backlogged" : "normal";
    if (state === q.state) continue;
    const dead = deadLetterSources(sim, q);
    const cause: Why = {
      mechanism: "queue",
      ...queueSource(sim, q),
      detail:
        state === "backlogged"
          ? q.inRate === 0 && dead.length > 0
            ? { what: "dead-letters", from: dead }
            : {
                what: "arrivals",
                inRate: q.inRate,
                outRate: q.outCapacity,
                failShare: q.outCapacity > 0 ? q.failRate / q.outCapacity : 0,
                visibility: q.q.visibilityTimeout,
              }
          : { what: "drained" },
    };
    log(sim, "queue", q.q.id, q.state, state, cause);
    q.state = state;
  }
}

/** What a queue's backlog comes from: its service down, or a consumer not keeping up. */
function queueSource(sim: Sim, q: MessageQueue): Pick<Why, "from" | "fromKind"> {
  const i = sim.queues.indexOf(q);
  const service = sim.comps[sim.topo.services[i] as number];
  if (service && service.s < DOWN_BELOW) return { from: service.c.id, fromKind: "component" };
  const dead = deadLetterSources(sim, q)[0];
  if (q.inRate === 0 && dead !== undefined) return { from: dead, fromKind: "queue" };
  const slow = (sim.topo.consumers[i] as number[])
    .map((x) => sim.comps[x] as CompState)
    .find((x) => x.state !== "up" || x.process !== "running");
  return slow ? { from: slow.c.id, fromKind: "component" } : {};
}

function deadLetterSources(sim: Sim, q: MessageQueue): string[] {
  return sim.queues.filter((x) => x.deadLetters === q).map((x) => x.q.id);
}
