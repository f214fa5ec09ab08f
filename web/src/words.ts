/**
 * Counts in words, shared by the header and the tables.
 */
import { SEVERITIES } from "../../src/analysis/types.js";

/** "1 DNS record", "2 DNS records". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Counts of findings per severity, the most severe first, the absent ones left out. */
export function severityCounts(counts: Readonly<Record<string, number>>): string {
  return [...SEVERITIES]
    .reverse()
    .filter((sev) => (counts[sev] ?? 0) > 0)
    .map((sev) => `${counts[sev]} ${sev}`)
    .join(", ");
}
