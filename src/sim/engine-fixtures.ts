/**
 * @module sim/engine-fixtures
 * Readings of a journal for the engine's tests (`engine-*.test.ts`): a series' value at a
 * sample, a value read from an ageing population, and a subject's state changes.
 */
import { expect } from "vitest";
import { FINE_STEPS } from "./engine.js";
import type { Journal } from "./types.js";

/** Value of a sampled series at time t (samples are taken exactly on the grid). */
export function at(
  j: Journal,
  series: Readonly<Record<string, readonly number[]>>,
  id: string,
  t: number,
): number {
  const i = j.series.times.indexOf(t);
  if (i < 0) throw new Error(`no sample at ${t}`);
  return (series[id] as readonly number[])[i] as number;
}

/**
 * A value read from an ageing population: the engine reads a linear ramp as a staircase of
 * FINE_STEPS stairs at the ramp's value in their middle, so it is within half a stair's height
 * of the ramp at any moment.
 */
export function expectOnRamp(value: number, exact: number): void {
  expect(Math.abs(value - exact)).toBeLessThanOrEqual(0.5 / FINE_STEPS + 1e-12);
}

/** The subject's state changes (entries that only record a new cause are left out). */
export function changes(j: Journal, subject: string) {
  return j.timeline
    .filter((e) => e.subject === subject && e.from !== e.to)
    .map((e) => ({ t: e.t, to: e.to, mechanism: e.cause.mechanism }));
}
