/**
 * @module analysis/context
 * What every rule reads: the compiled failure graph and the answers of the graph kernels,
 * computed once and shared (order-1 cut sets per node, the blast radius of every unit, hard
 * reachability). Rules never re-run a kernel for themselves.
 */
import {
  type BlastRadiusSummary,
  blastRadiusSummary,
  watchedCountOfBoth,
  watchedHit,
  watchedUnits,
  watchedUnitsOfBoth,
} from "../graph/blast-radius.js";
import {
  type Estimate,
  type EstimateScratch,
  estimateEntry,
  hardClosure,
} from "../graph/entry-availability.js";
import { type FailureGraph, NodeType, type Outputs } from "../graph/failure-graph.js";
import { FailurePropagator } from "../graph/propagate.js";
import { singleFailureSets } from "../graph/single-failures.js";
import type { Component, DnsRecord, Domain, Model } from "../model/types.js";
import { type CompiledModel, compileModel } from "./compile.js";
import { type OfferedLoad, offeredLoad } from "./offered-load.js";

export interface AnalysisOptions {
  /** Order of the minimal cut sets reported by the spof rule: 1, or 1 and 2. */
  readonly depth?: 1 | 2;
  /** Seed of the Monte Carlo availability estimate. */
  readonly seed?: number;
  /** Samples of the Monte Carlo availability estimate. */
  readonly samples?: number;
  /** Above this many uncertain units a workload's availability is estimated, not enumerated. */
  readonly exactLimit?: number;
  /**
   * Work budget of one Monte Carlo estimate, in dependents examined by its propagations: the
   * estimate stops after the sample that reaches it, even short of `samples`, and reports the
   * samples it used. A count, not a time, so the report stays the same from run to run.
   */
  readonly workBudget?: number;
  /**
   * Share of a component's capacity kept free at normal load (`capacity-fit`): 0.2 means the
   * offered load must stay under 80% of capacity.
   */
  readonly headroom?: number;
}

/** The blast-radius pass's arguments (see `AuditContext.blastInputs`). */
export interface BlastInputs {
  readonly graph: FailureGraph;
  readonly out: Outputs;
  readonly watched: number[];
  readonly masks: readonly Uint8Array[];
  /** Column of each watched node (its first one when it is watched twice). */
  readonly columnOf: ReadonlyMap<number, number>;
}

export interface BlastTable {
  /** Unit node indices, ascending, with the number of components each one takes down. */
  readonly units: Int32Array;
  readonly counts: Int32Array;
  /** Per unit: how many replicated components (see `replicated`) it takes down. */
  readonly replicatedCounts: Int32Array;
  /**
   * 1 when the unit at row `i` takes watched column `w` down. The first columns are the
   * workloads' entries, in workload order; then monitors and what they observe.
   */
  hit(i: number, w: number): 0 | 1;
  /** The units (ascending) that take watched column `w` down. */
  unitsHitting(w: number): Int32Array;
  /** The units (ascending) that take both watched columns `a` and `b` down; the first `limit`. */
  unitsHittingBoth(a: number, b: number, limit?: number): Int32Array;
  /** How many units take both watched columns `a` and `b` down. */
  countHittingBoth(a: number, b: number): number;
  readonly columns: number;
  readonly columnOf: ReadonlyMap<number, number>;
}

export class AuditContext {
  readonly compiled: CompiledModel;
  readonly options: Required<AnalysisOptions>;
  private readonly s1 = new Map<number, Int32Array>();
  private blastTable: BlastTable | undefined;
  private blastInput: BlastInputs | undefined;
  private sharedPropagator: FailurePropagator | undefined;
  private domainIndex: Map<string, Domain> | undefined;
  private replicatedList: { components: Component[]; nodes: Int32Array } | undefined;
  private recordIndex: Map<string, DnsRecord> | undefined;
  private offeredLoads: OfferedLoad | undefined;
  private readonly downSets = new Map<number, Uint8Array>();
  private declaredAvailability: Float64Array | undefined;
  private readonly estimates = new Map<number, Estimate>();
  private readonly estimateScratch: EstimateScratch = {};

  constructor(model: Model, options: AnalysisOptions = {}) {
    this.compiled = compileModel(model);
    this.options = {
      depth: options.depth ?? 1,
      seed: options.seed ?? 1,
      samples: options.samples ?? 20_000,
      exactLimit: options.exactLimit ?? 12,
      workBudget: options.workBudget ?? 20_000_000,
      headroom: options.headroom ?? 0.2,
    };
  }

  /** Offered load of every component in normal operation and under failure, computed once. */
  offered(): OfferedLoad {
    if (!this.offeredLoads) {
      const base = this.compiled.componentBase;
      const n = this.model.components.length;
      const index = (x: number) => (x >= base && x < base + n ? x - base : -1);
      // The dependencies' nodes as the compiler found them, as component indices (a loop: a
      // typed array's `map` with a callback took a quarter of a second per million).
      const { dependencyFrom, dependencyTo } = this.compiled;
      const from = new Int32Array(dependencyFrom.length);
      const to = new Int32Array(dependencyTo.length);
      for (let k = 0; k < from.length; k++) {
        from[k] = index(dependencyFrom[k] as number);
        to[k] = index(dependencyTo[k] as number);
      }
      this.offeredLoads = offeredLoad(
        this.model,
        (id) => {
          const x = index(this.compiled.node.get(id) ?? -1);
          return x < 0 ? undefined : x;
        },
        { from, to },
      );
    }
    return this.offeredLoads;
  }

  get model(): Model {
    return this.compiled.model;
  }

  nodeOf(id: string): number {
    const n = this.compiled.node.get(id);
    if (n === undefined) throw new Error(`no node for '${id}'`);
    return n;
  }

  idOf(node: number): string {
    return this.compiled.graph.ids[node] as string;
  }

  /** The failure domain with this id, if any. */
  domain(id: string): Domain | undefined {
    this.domainIndex ??= new Map(this.model.domains.map((d) => [d.id, d]));
    return this.domainIndex.get(id);
  }

  /** The DNS record with this name, if any. */
  record(name: string): DnsRecord | undefined {
    this.recordIndex ??= new Map(this.model.records.map((r) => [r.name, r]));
    return this.recordIndex.get(name);
  }

  /** True for a top-level failure domain (a provider): a cut set of everything on it. */
  isRootDomain(node: number): boolean {
    return (
      this.compiled.graph.type[node] === NodeType.domain &&
      this.domain(this.idOf(node))?.parent === null
    );
  }

  /**
   * Order-1 cut sets (sorted unit node indices) of the given nodes, memoized. Nodes watched by
   * the blast-radius pass (workload entries, monitors, observed components) read theirs from it:
   * it has already decided, for every unit, whether that unit alone takes them down. The others
   * are solved by the cut-set kernel, all of them in the first call, so that gate sets shared
   * between them are computed once.
   */
  singleFailures(nodes: readonly number[]): Int32Array[] {
    const table = this.blast();
    for (const n of nodes) {
      const col = table.columnOf.get(n);
      if (col === undefined || this.s1.has(n)) continue;
      this.s1.set(n, table.unitsHitting(col));
    }
    const missing = nodes.filter((n) => !this.s1.has(n));
    if (missing.length > 0) {
      const batch = [...new Set([...missing, ...(this.s1.size === 0 ? this.usualTargets() : [])])];
      const sets = singleFailureSets(this.compiled.graph, this.compiled.out, batch);
      batch.forEach((n, i) => {
        this.s1.set(n, sets[i] as Int32Array);
      });
    }
    return nodes.map((n) => this.s1.get(n) as Int32Array);
  }

  private usualTargets(): number[] {
    const base = this.compiled.componentBase;
    const targets: number[] = [];
    this.model.components.forEach((c, i) => {
      if (c.placement.domains.length > 1 && !this.s1.has(base + i)) targets.push(base + i);
    });
    return targets;
  }

  /**
   * Components replicated over several failure domains so that losing one domain should not
   * take them down (redundancy any or quorum), in model order.
   */
  replicated(): readonly Component[] {
    return this.replicatedComponents().components;
  }

  /** The nodes of `replicated()`, in the same order. */
  replicatedNodes(): Int32Array {
    return this.replicatedComponents().nodes;
  }

  private replicatedComponents(): { components: Component[]; nodes: Int32Array } {
    if (!this.replicatedList) {
      const base = this.compiled.componentBase;
      const components: Component[] = [];
      const nodes: number[] = [];
      this.model.components.forEach((c, i) => {
        if (c.placement.domains.length > 1 && c.redundancy.mode !== "all") {
          components.push(c);
          nodes.push(base + i);
        }
      });
      this.replicatedList = { components, nodes: Int32Array.from(nodes) };
    }
    return this.replicatedList;
  }

  /**
   * The blast-radius table: which units take which watched nodes down, and how many components
   * each unit takes down. Computed here on first use, unless a summary computed elsewhere (a
   * worker thread, see `analysis/parallel`) was adopted first.
   */
  blast(): BlastTable {
    if (!this.blastTable) {
      const { graph, watched, masks, out } = this.blastInputs();
      this.adoptBlast(blastRadiusSummary(graph, watched, masks, {}, out));
    }
    return this.blastTable as BlastTable;
  }

  /**
   * What the blast-radius pass reads: the graph, the watched nodes (the workloads' entries in
   * workload order, then monitors and what they observe) and two disjoint count masks, the
   * components that are not replicated and the replicated ones. Counting the two apart costs one
   * column-counter row per masked node, so the large replicated mask is not counted twice as it
   * would be inside an all-components mask.
   */
  blastInputs(): BlastInputs {
    if (!this.blastInput) {
      const g = this.compiled.graph;
      const replicatedMask = new Uint8Array(g.nodeCount);
      for (const x of this.replicatedNodes()) replicatedMask[x] = 1;
      const othersMask = new Uint8Array(g.nodeCount);
      for (let x = 0; x < g.nodeCount; x++) {
        othersMask[x] = g.type[x] === NodeType.component && replicatedMask[x] === 0 ? 1 : 0;
      }
      const m = this.model;
      const watched = m.workloads.map((w) => this.nodeOf(w.entry));
      const columnOf = new Map<number, number>();
      watched.forEach((n, i) => {
        if (!columnOf.has(n)) columnOf.set(n, i);
      });
      for (const c of m.components) {
        if (c.observes.length === 0) continue;
        for (const id of [c.id, ...c.observes]) {
          const n = this.nodeOf(id);
          if (!columnOf.has(n)) {
            columnOf.set(n, watched.length);
            watched.push(n);
          }
        }
      }
      this.blastInput = {
        graph: g,
        out: this.compiled.out,
        watched,
        masks: [othersMask, replicatedMask],
        columnOf,
      };
    }
    return this.blastInput;
  }

  /** Takes the result of the blast-radius pass over `blastInputs()`, wherever it was computed. */
  adoptBlast(r: BlastRadiusSummary): void {
    const { watched, columnOf } = this.blastInputs();
    const replicatedCounts = r.counts[1] as Int32Array;
    const counts = Int32Array.from(
      r.counts[0] as Int32Array,
      (n, i) => n + (replicatedCounts[i] as number),
    );
    this.blastTable = {
      units: r.units,
      counts,
      replicatedCounts,
      hit: (i, w) => watchedHit(r, i, w),
      unitsHitting: (w) => watchedUnits(r, w),
      unitsHittingBoth: (a, b, limit) => watchedUnitsOfBoth(r, a, b, limit),
      countHittingBoth: (a, b) => watchedCountOfBoth(r, a, b),
      columns: watched.length,
      columnOf,
    };
  }

  /**
   * The nodes that fail when `unit` alone fails (down[x] = 1), memoized: several rules propagate
   * the same large units (the blast-radius and shared-failure-domain findings are mostly about
   * the same ones). Read-only: copy it to change it.
   */
  downOf(unit: number): Uint8Array {
    let down = this.downSets.get(unit);
    if (!down) {
      down = this.propagator().run([unit]).slice();
      this.downSets.set(unit, down);
    }
    return down;
  }

  /** One propagator shared by the rules (its buffers are as large as the graph). */
  propagator(): FailurePropagator {
    this.sharedPropagator ??= new FailurePropagator(this.compiled.graph, this.compiled.out);
    return this.sharedPropagator;
  }

  /**
   * Nodes reachable from `start` along inputs whose failure is forced by a single input
   * (threshold-1 nodes) — the hard dependency closure, gates with redundancy included as nodes
   * but not crossed. With `into`, the closure is marked there (it must be all zeros) instead
   * of in a new array.
   */
  hardClosure(start: number, crossGates = false, into?: Uint8Array): Uint8Array {
    return hardClosure(this.compiled.graph, start, crossGates, into);
  }

  /** The declared availability of every node (NaN where none is declared). */
  availabilities(): Float64Array {
    if (!this.declaredAvailability) {
      const a = new Float64Array(this.compiled.graph.nodeCount).fill(Number.NaN);
      const { componentBase, recordBase } = this.compiled;
      this.model.components.forEach((c, i) => {
        if (c.availability !== undefined) a[componentBase + i] = c.availability;
      });
      this.model.records.forEach((r, i) => {
        if (r.availability !== undefined) a[recordBase + i] = r.availability;
      });
      // Domains are the first nodes, in model order.
      this.model.domains.forEach((d, i) => {
        if (d.availability !== undefined) a[i] = d.availability;
      });
      this.declaredAvailability = a;
    }
    return this.declaredAvailability;
  }

  /** The workloads' entry nodes, each once, in workload order: what `entryEstimate` is asked. */
  workloadEntries(): number[] {
    return [...new Set(this.model.workloads.map((w) => this.nodeOf(w.entry)))];
  }

  /**
   * The availability of a workload's entry node from its units' declared availabilities (see
   * `graph/entry-availability`), memoized, unless estimates computed elsewhere were adopted.
   */
  entryEstimate(entry: number): Estimate {
    let e = this.estimates.get(entry);
    if (!e) {
      const [cut] = this.singleFailures([entry]);
      e = estimateEntry(
        this.compiled.graph,
        this.compiled.out,
        this.propagator(),
        entry,
        this.idOf(entry),
        cut as Int32Array,
        this.availabilities(),
        this.options,
        this.estimateScratch,
      );
      this.estimates.set(entry, e);
    }
    return e;
  }

  /** Takes estimates of `workloadEntries()` computed elsewhere, in that order. */
  adoptEstimates(estimates: readonly Estimate[]): void {
    this.workloadEntries().forEach((entry, i) => {
      const e = estimates[i];
      if (e) this.estimates.set(entry, e);
    });
  }

  /**
   * A shortest chain of hard inputs from `from` to `to` (ids, gates left out), or undefined when
   * `to` is not reached: how a unit's failure travels to what it takes down.
   */
  hardPath(from: number, to: number): string[] | undefined {
    const g = this.compiled.graph;
    const parent = new Map<number, number>([[from, from]]);
    const queue = [from];
    for (let qi = 0; qi < queue.length; qi++) {
      const x = queue[qi] as number;
      if (x === to) break;
      for (let i = g.inputStart[x] as number; i < (g.inputStart[x + 1] as number); i++) {
        const y = g.inputs[i] as number;
        if (!parent.has(y)) {
          parent.set(y, x);
          queue.push(y);
        }
      }
    }
    if (!parent.has(to)) return undefined;
    const path: number[] = [];
    for (let cur = to; ; cur = parent.get(cur) as number) {
      path.push(cur);
      if (cur === from) break;
    }
    return path
      .reverse()
      .filter((x) => g.type[x] !== NodeType.gate)
      .map((x) => this.idOf(x));
  }

  /** Human description of a node: "iam (identity, region us-east-1)". */
  describe(node: number): string {
    const g = this.compiled.graph;
    const id = this.idOf(node);
    switch (g.type[node]) {
      case NodeType.component: {
        const c = this.compiled.componentAt(node);
        return c ? `${id} (${c.kind}, ${placementText(c.placement)})` : id;
      }
      case NodeType.record:
        return `${id} (DNS record)`;
      case NodeType.domain: {
        return `${this.domain(id)?.kind ?? "domain"} ${id}`;
      }
      case NodeType.shared: {
        const s = this.compiled.sharedAt(node);
        if (s?.kind === "content") return `${id} (${s.content.kind} served by ${s.content.server})`;
        if (s?.kind === "fleet")
          return `fleet ${id} (${s.fleet.members.length} components sharing ${s.fleet.shares.join(", ")})`;
        return id;
      }
      default:
        return id;
    }
  }
}

export function placementText(p: { scope: string; domains: readonly string[] }): string {
  switch (p.scope) {
    case "zones":
      return p.domains.length === 1 ? `zone ${p.domains[0]}` : `${p.domains.length} zones`;
    case "regions":
      return `${p.domains.length} regions`;
    case "region":
      return `region ${p.domains[0]}`;
    case "domains":
      return p.domains.length === 1 ? `domain ${p.domains[0]}` : `${p.domains.length} domains`;
    default:
      return p.domains.length === 1 ? `global on ${p.domains[0]}` : "global";
  }
}
