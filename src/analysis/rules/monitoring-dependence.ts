/**
 * @module analysis/rules/monitoring-dependence
 * Rule `monitoring-dependence`: a monitor that depends, transitively, on what it observes goes
 * blind exactly when it is needed. Direct dependence (the observed component lies in the
 * monitor's hard dependency closure) is high; a failure unit that takes down both the monitor and
 * what it observes (the same region, the same DNS record) is medium. Alarms evaluated by such a
 * monitor, and operator actions they trigger, are named, since they will fire late or never.
 * A medium finding's message names the first few shared units (domains, then components, then
 * DNS records) — in a large model a monitor and its target can share thousands, and a message
 * that long helps nobody. Its data lists the first LIST_LIMIT of them, with their number when
 * there are more.
 */
import { helpUri, type Rule } from "../rule.js";
import type { Finding } from "../types.js";

/** Shared units a message names before "and N more". */
const MESSAGE_LIMIT = 8;
/**
 * Shared units a finding's `data.shared` lists; beyond it `data.sharedCount` says how many
 * there are. In the 100k-component synthetic model monitors and their targets share 1,850 units
 * on average and 5.9 million in all: full lists were most of the rule's time and memory.
 */
const LIST_LIMIT = 200;

export const monitoringDependenceRule: Rule = {
  readsBlastTable: true,
  meta: {
    id: "monitoring-dependence",
    title: "Monitoring depends on what it watches",
    description:
      "A monitor whose own hard dependencies include what it observes, or that shares a failure unit with it, so it goes blind in the failure it should report.",
    helpUri: helpUri("monitoring-dependence"),
  },
  run(ctx) {
    const findings: Finding[] = [];
    const monitors = ctx.model.components.filter((c) => c.observes.length > 0);
    // Monitors and what they observe are watched by the audit's blast-radius pass: the units
    // that take both down are the intersection of their two bitsets, so no cut set is listed.
    const table = ctx.blast();
    const column = (node: number): number => {
      const w = table.columnOf.get(node);
      if (w === undefined) throw new Error(`node ${ctx.idOf(node)} is not watched`);
      return w;
    };
    // Units that are providers, by row of the table: left out of the shared units.
    const rootRows: number[] = [];
    for (let i = 0; i < table.units.length; i++)
      if (ctx.isRootDomain(table.units[i] as number)) rootRows.push(i);
    // The monitor's hard dependency closure, one buffer for all monitors.
    const closure = new Uint8Array(ctx.compiled.graph.nodeCount);
    for (const m of monitors) {
      const mNode = ctx.nodeOf(m.id);
      closure.fill(0);
      ctx.hardClosure(mNode, true, closure);
      const mColumn = column(mNode);
      const alarms = ctx.model.alarms.filter((a) => a.monitor === m.id);
      for (const target of m.observes) {
        const tNode = ctx.nodeOf(target);
        const affected = alarms.filter((a) => a.target === target).map((a) => a.id);
        const actions = ctx.model.actions
          .filter((a) => a.trigger.on === "alarm" && affected.includes(a.trigger.alarm))
          .map((a) => a.id);
        const consequence =
          affected.length > 0
            ? ` Alarm${affected.length > 1 ? "s" : ""} ${affected.join(", ")}${actions.length > 0 ? ` and the action${actions.length > 1 ? "s" : ""} ${actions.join(", ")} triggered by ${affected.length > 1 ? "them" : "it"}` : ""} will fire late or never.`
            : "";
        if (closure[tNode] === 1) {
          // Reached: the closure says so.
          const path = ctx.hardPath(mNode, tNode) ?? [];
          findings.push({
            rule: "monitoring-dependence",
            key: `monitoring-dependence:${m.id}>${target}`,
            severity: "high",
            message: `monitor ${m.id} observes ${target} but depends on it: ${path.join(" → ")}. When ${target} fails, ${m.id} fails with it.${consequence}`,
            components: [m.id, target, ...path.slice(1, -1)],
            remediation: `Run ${m.id} (or an independent canary for ${target}) on infrastructure that does not depend on ${target}: another region, another provider, or a path without its identity and DNS.`,
            location: m.loc,
            data: { monitor: m.id, observed: target, path, alarms: affected, actions },
          });
          continue;
        }
        // Shared units in ascending node order, providers left out; the first few are named,
        // the first LIST_LIMIT listed.
        // NOTE: counted on the bitsets and listed only as far as needed: monitors and their
        // targets share thousands of units each in a large model (5.9 million in all).
        const tColumn = column(tNode);
        let count = table.countHittingBoth(mColumn, tColumn);
        for (const i of rootRows) if (table.hit(i, mColumn) && table.hit(i, tColumn)) count--;
        if (count === 0) continue;
        const listed: number[] = [];
        for (const u of table.unitsHittingBoth(mColumn, tColumn, LIST_LIMIT + rootRows.length)) {
          if (!ctx.isRootDomain(u) && listed.length < LIST_LIMIT) listed.push(u);
        }
        const shared = listed.map((u) => ctx.idOf(u));
        const named = listed.slice(0, MESSAGE_LIMIT);
        const more = count - named.length;
        const others =
          count <= LIST_LIMIT
            ? ` and the ${more} other shared units listed in the finding's data`
            : ` and the ${more} other shared units (the finding's data lists the first ${LIST_LIMIT} of all ${count})`;
        const names = named.map((u) => ctx.describe(u));
        if (more > 0) names.push(`and ${more} more`);
        const ids = named.map((u) => ctx.idOf(u));
        findings.push({
          rule: "monitoring-dependence",
          key: `monitoring-dependence:${m.id}>${target}`,
          severity: "medium",
          message: `monitor ${m.id} and ${target}, which it observes, fail together when any of these fails: ${names.join("; ")}.${consequence}`,
          components: [m.id, target, ...ids],
          remediation: `Place ${m.id}, or a second monitor of ${target}, outside ${ids.join(", ")}${more > 0 ? others : ""}.`,
          location: m.loc,
          data: {
            monitor: m.id,
            observed: target,
            shared,
            // Only when the list is cut, so that smaller findings keep their shape.
            ...(count > LIST_LIMIT ? { sharedCount: count } : {}),
            alarms: affected,
            actions,
          },
        });
      }
    }
    return { findings };
  },
};
