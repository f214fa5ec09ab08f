/**
 * @module sim/format
 * How the engine and its renderers write times and quantities for people: clock times from
 * the start of the run (00:03:12, 1d 02:00:00), durations (90s, 2h37m), percentages, rates and
 * counts. One place, so the timeline, `explain` and the reports read the same.
 */
import { localTimeAfter, parseInstant } from "../scenario/instant.js";

export function round(x: number, digits: number): number {
  const k = 10 ** digits;
  const r = Math.round(x * k) / k;
  return Object.is(r, -0) ? 0 : r;
}

/** 00:03:12 (or 1d 02:00:00) from seconds. */
export function clock(t: number): string {
  const total = Math.round(t);
  const d = Math.floor(total / 86400);
  const h = Math.floor((total % 86400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const hms = [h, m, s].map((x) => String(x).padStart(2, "0")).join(":");
  return d > 0 ? `${d}d ${hms}` : hms;
}

/**
 * `clock` to the tenth of a second (00:00:00.3), for lists where changes a fraction of a second
 * apart must not read as simultaneous or out of order.
 */
export function clockTenths(t: number): string {
  const tenths = Math.round(t * 10);
  return `${clock(Math.floor(tenths / 10))}.${tenths % 10}`;
}

export function fmt(seconds: number): string {
  // A time measured from a moment after the event (recovered before `from`) is negative.
  if (seconds < 0) return `−${fmt(-seconds)}`;
  if (!Number.isFinite(seconds)) return "∞";
  if (seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  if (seconds < 60) return `${round(seconds, 1)}s`;
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return [h ? `${h}h` : "", m ? `${m}m` : "", s && h === 0 ? `${s}s` : ""].join("") || "0s";
}

export function pct(x: number, digits = 1): string {
  return `${round(x * 100, digits)}%`;
}

export function rate(x: number): string {
  if (!Number.isFinite(x)) return "unbounded";
  return x >= 1000 ? `${round(x / 1000, 1)}k rps` : `${round(x, 1)} rps`;
}

export function count(x: number): string {
  return x >= 1e6
    ? `${round(x / 1e6, 2)}M`
    : x >= 1000
      ? `${round(x / 1000, 1)}k`
      : `${round(x, 1)}`;
}

/**
 * The wall-clock time `t` seconds after `startsAt` (a scenario's `startsAt`, read by
 * `parseInstant`), written at its offset: 2025-10-20 00:01:12 (or 00:01:12.3 with `tenths`).
 * Undefined when `startsAt` is not such a time, so callers can fall back to `clock`.
 */
export function wallClock(startsAt: string, t: number, tenths = false): string | undefined {
  const instant = parseInstant(startsAt);
  if (instant === undefined) return undefined;
  const ms = tenths ? Math.round(t * 10) * 100 : Math.round(t) * 1000;
  const local = localTimeAfter(instant, ms).toISOString().replace("T", " ");
  return tenths ? local.slice(0, 21) : local.slice(0, 19);
}
