/**
 * @module diagram/highlight
 * What a diagram colours for `--highlight UNIT`: the unit, what its failure alone takes down and
 * what it degrades. The answer is the audit's own: the model compiled by `compileModel`, one run
 * of the `FailurePropagator` from the unit, and "degraded" exactly as the blast-radius rule says
 * it (a component still up with a soft dependency on something down).
 */
import { type CompiledModel, compileModel } from "../analysis/compile.js";
import { NodeType } from "../graph/failure-graph.js";
import { FailurePropagator } from "../graph/propagate.js";
import { suggest } from "../model/diagnostics.js";
import type { Model } from "../model/types.js";

/** A `--highlight` that names nothing the audit can fail; `suggestion` is the closest unit. */
export class UnknownUnitError extends Error {
  readonly unit: string;
  readonly suggestion: string | undefined;
  constructor(unit: string, message: string, suggestion: string | undefined) {
    super(`${message}${suggestion !== undefined ? ` — did you mean '${suggestion}'?` : ""}`);
    this.name = "UnknownUnitError";
    this.unit = unit;
    this.suggestion = suggestion;
  }
}

export interface BlastRadius {
  /** The unit that fails: a component, DNS record or failure domain id. */
  readonly unit: string;
  /** Components, DNS records and failure domains down when the unit fails, the unit included. */
  readonly down: ReadonlySet<string>;
  /** Components still up with a soft dependency on something down. */
  readonly degraded: ReadonlySet<string>;
  /**
   * True when the unit is a component replicated over several failure domains: such a component
   * is no failure unit of the audit (its replicas fail with their domains), so it is failed as a
   * whole, every replica at once.
   */
  readonly wholeComponent: boolean;
}

/**
 * The blast radius of one unit. `compiled` may be passed when the caller already compiled the
 * model. Throws `UnknownUnitError` for an id that is no component, DNS record or failure domain.
 */
export function blastRadiusOf(
  model: Model,
  unit: string,
  compiled: CompiledModel = compileModel(model),
): BlastRadius {
  const node = compiled.node.get(unit);
  if (node === undefined) throw unknownUnit(model, unit);
  let graphOf = compiled;
  let wholeComponent = false;
  if (compiled.graph.isUnit[node] !== 1) {
    // A replicated component: compile a copy in which it needs all of its placements, which makes
    // it a unit of its own and changes nothing downstream of it (only when it would fail from its
    // placements), then fail it.
    wholeComponent = true;
    graphOf = compileModel({
      ...model,
      components: model.components.map((c) =>
        c.id === unit ? { ...c, redundancy: { mode: "all" } } : c,
      ),
    });
  }
  const g = graphOf.graph;
  const start = graphOf.node.get(unit) as number;
  const down = new FailurePropagator(g, graphOf.out).run([start]);
  const downIds = new Set<string>();
  for (let x = 0; x < g.nodeCount; x++)
    if (down[x] === 1 && g.type[x] !== NodeType.gate) downIds.add(g.ids[x] as string);
  const degraded = new Set<string>();
  for (const [from, deps] of graphOf.soft) {
    if (downIds.has(from)) continue;
    if (deps.some((d) => downIds.has(d.to))) degraded.add(from);
  }
  return { unit, down: downIds, degraded, wholeComponent };
}

function unknownUnit(model: Model, unit: string): UnknownUnitError {
  // Queues and workloads have ids too, but they fail only through what hosts or serves them:
  // point at that instead of suggesting some similar-looking unit.
  const queue = model.queues.find((q) => q.id === unit);
  if (queue?.service !== undefined)
    return new UnknownUnitError(
      unit,
      `'${unit}' is a queue, not a failure unit: highlight the component that hosts it, '${queue.service}'`,
      undefined,
    );
  const workload = model.workloads.find((w) => w.id === unit);
  if (workload !== undefined)
    return new UnknownUnitError(
      unit,
      `'${unit}' is a workload, not a failure unit: highlight its entry, '${workload.entry}'`,
      undefined,
    );
  const candidates = [
    ...model.components.map((c) => c.id),
    ...model.records.map((r) => r.name),
    ...model.domains.map((d) => d.id),
  ];
  return new UnknownUnitError(unit, `unknown unit '${unit}'`, suggest(unit, candidates));
}
