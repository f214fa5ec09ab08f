/**
 * @module sim/format
 * How the engine and its renderers write times and quantities for people: clock times from
 * the start of the run (00:03:12, 1d 02:00:00), durations (90s, 2h37m), percentages, rates and
 * counts. One place, so the timeline, `explain` and the reports read the same.
 */

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

export function fmt(seconds: number): string {
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
