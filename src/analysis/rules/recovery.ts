/**
 * @module analysis/rules/recovery
 * Rule `recovery`: the critical restart path. After a full outage a component that needs its
 * dependencies for a cold start can restart only once they are up, so its cold-start time is
 * its own restart time plus the longest cold-start time among its hard dependencies (the
 * quickest way, for any-of alternatives) — a longest-path computation over the condensed graph.
 * A cycle of components that all need their dependencies never starts: the estimate is
 * infinite and the finding says which cycle blocks it. Estimates are compared with each
 * component's and each workload's RTO. Restart times the model does not state count as zero,
 * and the finding says so: the estimate is then a lower bound.
 */
import { NodeType } from "../../graph/failure-graph.js";
import { stronglyConnected } from "../../graph/scc.js";
import { appendAll } from "../../model/arrays.js";
import { formatDuration } from "../../model/units.js";
import type { AuditContext } from "../context.js";
import { helpUri, type Rule } from "../rule.js";
import type { Finding } from "../types.js";

/**
 * The most components of a restart path, or of its components without a restart time, that a
 * row or a finding lists; longer ones are counted (`pathLength`, `undeclaredCount`). Listing
 * every path whole made the report grow with the square of the dependency depth (a 4k chain:
 * 132 MB).
 */
export const PATH_SHOWN = 12;

export interface RecoveryRow {
  readonly component: string;
  /** Seconds, or null when a cycle makes a cold start impossible. */
  readonly coldStart: number | null;
  readonly rto: number | null;
  /** The critical restart path from this component, its first PATH_SHOWN components. */
  readonly path: readonly string[];
  /** Components on the whole path; null when a cycle blocks it (the path runs into the cycle). */
  readonly pathLength: number | null;
  /** Components on the path whose restart time the model does not state (the first PATH_SHOWN). */
  readonly undeclared: readonly string[];
  readonly undeclaredCount: number;
}

export const recoveryRule: Rule<RecoveryRow[]> = {
  meta: {
    id: "recovery",
    title: "Recovery time against RTO",
    description:
      "The cold-start time of each component along its critical restart path, compared with its RTO and its workloads' RTOs; cycles make a cold start impossible.",
    helpUri: helpUri("recovery"),
  },
  run(ctx) {
    const est = coldStartTimes(ctx);
    const findings: Finding[] = [];
    const rows: RecoveryRow[] = [];
    const blocked = new Map<number, { subject: string; rto: number }[]>();
    const block = (node: number, subject: string, rto: number) => {
      const key = est.blockingCycle(node);
      const list = blocked.get(key) ?? [];
      list.push({ subject, rto });
      blocked.set(key, list);
    };
    const base = ctx.compiled.componentBase;
    const components = ctx.model.components;
    for (let i = 0; i < components.length; i++) {
      const c = components[i] as (typeof components)[number];
      const node = base + i;
      const summary = est.summary(node);
      const t = est.time[node] as number;
      rows.push({
        component: c.id,
        coldStart: Number.isFinite(t) ? t : null,
        rto: c.rto ?? null,
        path: summary.path,
        pathLength: Number.isFinite(t) ? summary.length : null,
        undeclared: summary.undeclared,
        undeclaredCount: summary.undeclaredCount,
      });
      if (c.rto === undefined) continue;
      if (Number.isFinite(t))
        appendAll(findings, compare(c.id, "component", c.id, c.rto, t, summary, c.loc));
      else block(node, `component ${c.id}`, c.rto);
    }
    for (const w of ctx.model.workloads) {
      if (w.rto === undefined) continue;
      const node = ctx.nodeOf(w.entry);
      const t = est.time[node] as number;
      if (Number.isFinite(t))
        appendAll(findings, compare(w.id, "workload", w.entry, w.rto, t, est.summary(node), w.loc));
      else block(node, `workload ${w.id}`, w.rto);
    }
    for (const [scc, subjects] of blocked) {
      const members = est.members(scc);
      const first = ctx.compiled.component(members[0] as string);
      const list = subjects.map((s) => `${s.subject} (RTO ${formatDuration(s.rto)})`).join(", ");
      findings.push({
        rule: "recovery",
        key: `recovery:cycle:${members.join(",")}`,
        severity: "critical",
        message: `cold start is impossible for ${list}: their restart paths run into the cycle ${members.join(" ↔ ")}, whose members each need another one up first, so none of these RTOs can be met without a manual break-glass start`,
        // Deduplicated in first-seen order; a cycle can block thousands of subjects, and an
        // indexOf per entry made this quadratic (about a second at 100k components).
        components: [
          ...new Set([
            ...members,
            ...subjects.map((s) => s.subject.replace(/^(component|workload) /, "")),
          ]),
        ],
        remediation:
          "Break the cycle (see the cycle finding): let one member start standalone (recovery.coldStart: standalone) from cached state, and rehearse the start order.",
        location: first?.loc ?? { file: ctx.model.files[0] ?? "", line: 1, column: 1 },
        data: {
          cycle: members,
          subjects: subjects.map((s) => ({ subject: s.subject, rto: s.rto })),
        },
      });
    }
    return { findings, table: rows };
  },
};

function compare(
  subject: string,
  what: "component" | "workload",
  entry: string,
  rto: number,
  t: number,
  summary: PathSummary,
  loc: import("../../model/types.js").Location,
): Finding[] {
  const { path, undeclared } = summary;
  const lowerBound =
    undeclared.length > 0
      ? ` (a lower bound: no restart time is stated for ${undeclared.join(", ")}${more(summary.undeclaredCount - undeclared.length)})`
      : "";
  if (t <= rto) return [];
  return [
    {
      rule: "recovery",
      key: `recovery:${what}:${subject}`,
      severity: "high",
      message: `${what} ${subject} needs at least ${formatDuration(t)} to cold-start along ${path.join(" → ")}${summary.length > path.length ? ` → … (${summary.length} components in all)` : ""}, over its RTO of ${formatDuration(rto)}${lowerBound}`,
      components: [
        subject,
        ...path.filter((p) => p !== subject && p !== entry),
        ...(entry !== subject ? [entry] : []),
      ],
      remediation:
        "Shorten the critical restart path: pre-warm or keep standby capacity for the slowest steps, let components start standalone from cached state, or relax the RTO.",
      location: loc,
      data: { rto, coldStart: t, path, pathLength: summary.length },
    },
  ];
}

function more(n: number): string {
  return n > 0 ? ` and ${n} more` : "";
}

/** The start of a node's critical restart path, with counts of the whole path. */
export interface PathSummary {
  /** Its first PATH_SHOWN components. */
  readonly path: readonly string[];
  /** Components on the whole path (for a blocked node, on the part listed). */
  readonly length: number;
  /** The first PATH_SHOWN components on the path without a stated restart time. */
  readonly undeclared: readonly string[];
  readonly undeclaredCount: number;
}

/** Cold-start time of every node (Infinity inside or behind a blocking cycle) and its critical path. */
export interface ColdStart {
  readonly time: Float64Array;
  /**
   * A node's path, bounded: at most PATH_SHOWN components listed, the rest counted. Linear in
   * the graph over all nodes, where listing every path is quadratic in its depth.
   */
  summary(node: number): PathSummary;
  /** The critical restart path of a node, as ids (gates left out). */
  path(node: number): string[];
  /** The same path as node indices, its first `limit` components. */
  pathNodes(node: number, limit?: number): number[];
  /** True for a component whose restart time the model does not state. */
  undeclared(node: number): boolean;
  /** For a node that cannot start: the strongly connected component of the cycle that blocks it. */
  blockingCycle(node: number): number;
  /** Component ids of a strongly connected component, sorted. */
  members(scc: number): string[];
}

export function coldStartTimes(ctx: AuditContext): ColdStart {
  const g = ctx.compiled.graph;
  const n = g.nodeCount;
  const time = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const via = new Int32Array(n).fill(-1);
  // Per node, looked up once: own restart time, standalone start, restart time not stated.
  const ownTime = new Float64Array(n);
  const standaloneStart = new Uint8Array(n);
  const unstated = new Uint8Array(n);
  for (let x = 0; x < n; x++) {
    // Domains and common-cause units (content, fleets) are not started.
    if (g.type[x] === NodeType.domain || g.type[x] === NodeType.shared) standaloneStart[x] = 1;
    if (g.type[x] !== NodeType.component) continue;
    const c = ctx.compiled.componentAt(x);
    if (!c) continue;
    ownTime[x] = c.recovery.restart ?? 0;
    if (c.recovery.coldStart === "standalone") standaloneStart[x] = 1;
    if (c.recovery.restart === undefined) unstated[x] = 1;
  }
  const own = (x: number): number => ownTime[x] as number;
  const standalone = (x: number): boolean => standaloneStart[x] === 1;
  // Dependencies that matter for a start: inputs, except failure domains (they are not restarted).
  const start = new Int32Array(n + 1);
  const adjacency = new Int32Array(g.inputs.length);
  let edges = 0;
  for (let x = 0; x < n; x++) {
    start[x] = edges;
    for (let i = g.inputStart[x] as number; i < (g.inputStart[x + 1] as number); i++) {
      const y = g.inputs[i] as number;
      if (g.type[y] !== NodeType.domain) adjacency[edges++] = y;
    }
  }
  start[n] = edges;
  const scc = stronglyConnected(n, start, adjacency);
  // Tarjan numbers components sinks first: dependencies before dependents. Nodes ordered by
  // component, ascending node index within one (a stable counting sort).
  const { order, componentStart } = bucketByComponent(n, scc.component, scc.count);
  const relax = (x: number): boolean => {
    let best: number;
    let arg = -1;
    if (standalone(x)) best = 0;
    else if (g.type[x] === NodeType.gate && (g.threshold[x] as number) > 1) {
      // An any-of gate is ready when its quickest alternative is.
      best = Number.POSITIVE_INFINITY;
      for (let i = start[x] as number; i < (start[x + 1] as number); i++) {
        const y = adjacency[i] as number;
        if ((time[y] as number) < best) {
          best = time[y] as number;
          arg = y;
        }
      }
      if (start[x] === start[x + 1]) best = 0;
    } else {
      best = 0;
      for (let i = start[x] as number; i < (start[x + 1] as number); i++) {
        const y = adjacency[i] as number;
        if (arg === -1 || (time[y] as number) > best) {
          best = time[y] as number;
          arg = y;
        }
      }
    }
    const t = best + own(x);
    if (t < (time[x] as number)) {
      time[x] = t;
      via[x] = arg;
      return true;
    }
    return false;
  };
  let i = 0;
  while (i < n) {
    const comp = scc.component[order[i] as number];
    let j = i;
    while (j < n && scc.component[order[j] as number] === comp) j++;
    // Within a cycle, iterate to the fixpoint (at most the cycle's size rounds).
    for (let round = 0; round <= j - i; round++) {
      let changed = false;
      for (let k = i; k < j; k++) if (relax(order[k] as number)) changed = true;
      if (!changed) break;
    }
    i = j;
  }
  // seen[x] === walk: x is already on the path being walked.
  const seen = new Int32Array(n);
  let walk = 0;
  const pathNodes = (node: number, limit = Number.POSITIVE_INFINITY): number[] => {
    const out: number[] = [];
    walk++;
    for (let x = node; x !== -1 && seen[x] !== walk && out.length < limit; x = via[x] as number) {
      seen[x] = walk;
      if (g.type[x] !== NodeType.gate) out.push(x);
      if (!Number.isFinite(time[x] as number) && via[x] === -1) {
        // Blocked: follow any input still inside the blocking cycle.
        for (let k = start[x] as number; k < (start[x + 1] as number); k++) {
          const y = adjacency[k] as number;
          if (!Number.isFinite(time[y] as number) && seen[y] !== walk) {
            via[x] = y;
            break;
          }
        }
      }
    }
    return out;
  };
  const blockingCycle = (node: number): number => {
    // Follow blocked inputs until a node's own component is a cycle of blocked nodes.
    const seen = new Set<number>();
    let x = node;
    while (!seen.has(x)) {
      seen.add(x);
      let next = -1;
      for (let k = start[x] as number; k < (start[x + 1] as number); k++) {
        const y = adjacency[k] as number;
        if (!Number.isFinite(time[y] as number)) {
          if (scc.component[y] === scc.component[x]) return scc.component[x] as number;
          if (next === -1) next = y;
        }
      }
      if (next === -1) return scc.component[x] as number;
      x = next;
    }
    return scc.component[x] as number;
  };
  const members = (comp: number): string[] => {
    const ids: string[] = [];
    for (let i = componentStart[comp] as number; i < (componentStart[comp + 1] as number); i++) {
      const x = order[i] as number;
      if (g.type[x] === NodeType.component) ids.push(ctx.idOf(x));
    }
    return ids.sort();
  };
  const path = (node: number): string[] => pathNodes(node).map((x) => ctx.idOf(x));
  const undeclared = (x: number): boolean => unstated[x] === 1;

  // For nodes that can start, `via` is final and acyclic (each step strictly lowers the time),
  // so the length of a path, its components without a restart time and the first of them are
  // computed once per node from the next node's, instead of walking every path to its end.
  const length = new Int32Array(n).fill(-1);
  const unstatedCount = new Int32Array(n);
  const firstUnstated = new Int32Array(n).fill(-1);
  const summarize = (node: number) => {
    const stack: number[] = [];
    for (let x = node; x !== -1 && (length[x] as number) < 0; x = via[x] as number) {
      stack.push(x);
      if (stack.length > n) break; // a guard; via is acyclic for nodes that can start
    }
    for (let k = stack.length - 1; k >= 0; k--) {
      const x = stack[k] as number;
      const next = via[x] as number;
      const counted = g.type[x] !== NodeType.gate ? 1 : 0;
      const own = counted === 1 && unstated[x] === 1;
      length[x] = counted + (next === -1 ? 0 : Math.max(0, length[next] as number));
      unstatedCount[x] = (own ? 1 : 0) + (next === -1 ? 0 : (unstatedCount[next] as number));
      firstUnstated[x] = own ? x : next === -1 ? -1 : (firstUnstated[next] as number);
    }
  };
  const summary = (node: number): PathSummary => {
    if (!Number.isFinite(time[node] as number)) {
      // Blocked: the start of the walk into the cycle (walking it whole for every node made a
      // 100k-component cycle quadratic).
      const nodes = pathNodes(node, PATH_SHOWN);
      const unstatedNodes = nodes.filter(undeclared);
      return {
        path: nodes.slice(0, PATH_SHOWN).map((x) => ctx.idOf(x)),
        length: nodes.length,
        undeclared: unstatedNodes.slice(0, PATH_SHOWN).map((x) => ctx.idOf(x)),
        undeclaredCount: unstatedNodes.length,
      };
    }
    summarize(node);
    const shown: string[] = [];
    for (let x = node; x !== -1 && shown.length < PATH_SHOWN; x = via[x] as number)
      if (g.type[x] !== NodeType.gate) shown.push(ctx.idOf(x));
    const missing: string[] = [];
    for (
      let x = firstUnstated[node] as number;
      x !== -1 && missing.length < PATH_SHOWN;
      x = via[x] === -1 ? -1 : (firstUnstated[via[x] as number] as number)
    )
      missing.push(ctx.idOf(x));
    return {
      path: shown,
      length: length[node] as number,
      undeclared: missing,
      undeclaredCount: unstatedCount[node] as number,
    };
  };
  return { time, path, pathNodes, undeclared, blockingCycle, members, summary };
}

/** Node indices grouped by component (ascending), ascending within a component. */
function bucketByComponent(
  n: number,
  component: Int32Array,
  count: number,
): { order: Int32Array; componentStart: Int32Array } {
  const start = new Int32Array(count + 1);
  for (let x = 0; x < n; x++) {
    const c = component[x] as number;
    start[c + 1] = (start[c + 1] as number) + 1;
  }
  for (let c = 0; c < count; c++) start[c + 1] = (start[c + 1] as number) + (start[c] as number);
  const order = new Int32Array(n);
  const fill = start.slice(0, count);
  for (let x = 0; x < n; x++) {
    const c = component[x] as number;
    order[fill[c] as number] = x;
    fill[c] = (fill[c] as number) + 1;
  }
  return { order, componentStart: start };
}
