/**
 * @module scenario/checks
 * What the scenario's checks (`semantics.ts` and the modules it calls: changes, expectations,
 * content faults) share: reporting a problem at a path of the scenario file, and resolving a
 * reference against what the model or the scenario knows.
 */
import type { DiagnosticCode, LocatedExtra } from "../model/diagnostics.js";
import type { PathKey } from "../model/source.js";

/** Reports a problem at `path` of the scenario file. */
export type Report = (
  code: DiagnosticCode,
  path: readonly PathKey[],
  message: string,
  extra?: LocatedExtra,
) => void;

/** True when `ref` is known; otherwise reports "unknown `what`" with the closest name. */
export type Refer = (
  path: readonly PathKey[],
  what: string,
  ref: string,
  known: ReadonlyMap<string, unknown> | ReadonlySet<string>,
) => boolean;
