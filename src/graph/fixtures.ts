/**
 * @module graph/fixtures
 * Node constructors shared by the kernel tests (not part of the build).
 */
import { type GraphNodeSpec, NodeType } from "./failure-graph.js";

/** A failure unit (a component) with the given inputs. */
export const unit = (id: string, inputs: number[] = [], threshold = 1): GraphNodeSpec => ({
  id,
  type: NodeType.component,
  unit: true,
  threshold,
  inputs,
});

/** A gate: fails when `threshold` of its inputs have failed; never fails on its own. */
export const gate = (id: string, inputs: number[], threshold: number): GraphNodeSpec => ({
  id,
  type: NodeType.gate,
  unit: false,
  threshold,
  inputs,
});
