/**
 * @module sim/queues
 * Message queues in the run: their rates from the publishers, the queue service and the
 * consumers as evaluated now (the fluid FIFO itself is `message-queue.ts`), and their state
 * changes in the timeline with what the backlog comes from.
 */

import type { MessageQueue } from "./message-queue.js";
import type { Why } from "./state.js";
import { type CompState, DOWN_BELOW, EPS, log, type Sim } from "./state.js";

/** Queue rates from the publishers, the queue service and the consumers as evaluated now. */
export function updateQueues(sim: Sim): void {
  const topo = sim.topo;
  sim.queues.forEach((q, i) => {
    q.resetRates();
    const service = sim.comps[topo.services[i] as number];
    const serviceUp = !service || service.s >= DOWN_BELOW;
    let inRate = 0;
    for (const p of topo.publishers[i] as number[]) {
      const ps = sim.comps[p] as CompState;
      inRate += Math.min(ps.load, ps.throttle) * (1 - ps.shed) * ps.s;
    }
    // A host whose lease is re-established has state to propagate: one message per lease.
    for (const p of topo.leasePublishers[i] as number[])
      inRate += (sim.comps[p] as CompState).leaseRate;
    if (!serviceUp) {
      q.rejectRate = inRate;
      return;
    }
    q.inRate = inRate;
    if (q.paused) return;
    q.q.consumers.forEach((consumer, k) => {
      const cs = sim.comps[(topo.consumers[i] as number[])[k] as number] as CompState;
      if (cs.process !== "running") return;
      q.addConsumer(Math.min(consumer.rate, cs.throttle) * cs.placementUp, cs.s);
    });
  });
}

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
            : { what: "arrivals", inRate: q.inRate, outRate: q.outCapacity }
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
