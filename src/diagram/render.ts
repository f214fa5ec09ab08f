/**
 * @module diagram/render
 * `renderDiagram`: a model as a Mermaid, Graphviz DOT or D2 diagram, optionally with the blast
 * radius of one failure unit coloured.
 */
import type { Model } from "../model/types.js";
import { renderD2 } from "./d2.js";
import { renderDot } from "./dot.js";
import { renderMermaid } from "./mermaid.js";
import { buildScene, type Scene } from "./scene.js";

export const DIAGRAM_FORMATS = ["mermaid", "dot", "d2"] as const;
export type DiagramFormat = (typeof DIAGRAM_FORMATS)[number];

export interface DiagramOptions {
  readonly format: DiagramFormat;
  /**
   * A component, DNS record or failure domain: it, what its failure takes down and what it
   * degrades are coloured, the rest dimmed. Unknown ids throw `UnknownUnitError`.
   */
  readonly highlight?: string;
  /** Draw the legend (default true). */
  readonly legend?: boolean;
}

const WRITERS: Readonly<
  Record<DiagramFormat, (scene: Scene, options: { legend?: boolean }) => string>
> = {
  mermaid: renderMermaid,
  dot: renderDot,
  d2: renderD2,
};

export function renderDiagram(model: Model, options: DiagramOptions): string {
  const scene = buildScene(
    model,
    options.highlight !== undefined ? { highlight: options.highlight } : {},
  );
  return WRITERS[options.format](scene, options.legend === false ? { legend: false } : {});
}
