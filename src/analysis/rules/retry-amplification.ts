/**
 * @module analysis/rules/retry-amplification
 * Rule `retry-amplification`: nested retries multiply. When a component fails, each caller
 * retries it `attempts` times per call; a hard caller fails with it and is retried in turn by
 * its own callers, so the load reaching the failed component is its normal load times the
 * product of attempts along the chain — a retry storm that keeps it down after the cause is
 * fixed. The closed form (`analysis/offered-load.ts`, `underFailure`) sums that over every chain.
 *
 * - **high** where the worst-case load exceeds the component's capacity: it cannot recover
 *   while its callers retry;
 * - **medium** where a chain nests retries at two levels or more and the component declares no
 *   capacity to compare with. Components on the chain of another such finding are not reported
 *   again: the deepest one names the chain.
 */
import type { Dependency } from "../../model/types.js";
import { formatRate } from "../../model/units.js";
import { placementText } from "../context.js";
import { attemptsUnderFailure } from "../offered-load.js";
import { helpUri, type Rule } from "../rule.js";
import type { Finding } from "../types.js";

export const retryAmplificationRule: Rule = {
  meta: {
    id: "retry-amplification",
    title: "Retries multiply load under failure",
    description:
      "Nested retries along a chain of calls multiply the load on a failing component by the product of their attempts; reported where that exceeds its capacity, or where retries nest two levels deep.",
    helpUri: helpUri("retry-amplification"),
  },
  run(ctx) {
    const m = ctx.model;
    const o = ctx.offered();
    const findings: Finding[] = [];
    const nested: number[] = [];
    const chains = new Map<number, number[]>();
    m.components.forEach((c, i) => {
      const product = o.attemptsProduct[i] as number;
      if (product <= 1) return;
      const failing = o.underFailure[i] as number;
      if (c.capacity !== undefined) {
        if (failing > c.capacity + 1e-9) {
          const chain = o.chainOf(i);
          const normal = o.load[i] as number;
          findings.push({
            rule: "retry-amplification",
            key: `retry-amplification:${c.id}`,
            severity: "high",
            message: `while ${c.id} (${c.kind}, ${placementText(c.placement)}) fails, its callers' retries offer it up to ${formatRate(failing)}${normal > 0 ? ` (${times(failing / normal)} its normal ${formatRate(normal)})` : ""}, beyond its capacity of ${formatRate(c.capacity)}: it cannot recover while they retry. Worst chain: ${chainText(chain)} (${times(product)} attempts per request)`,
            components: [c.id, ...chainMembers(chain)],
            remediation: remediation(chain),
            location: c.loc,
            data: {
              component: c.id,
              normal,
              underFailure: failing,
              capacity: c.capacity,
              attemptsProduct: product,
              chain: chainMembers(chain),
            },
          });
        }
        return;
      }
      const chain = o.chainIndicesOf(i);
      let retrying = 0;
      for (const d of chain) if ((o.attemptsOf[d] as number) > 1) retrying++;
      if (retrying < 2) return;
      nested.push(i);
      chains.set(i, chain);
    });
    // The deepest component of a chain speaks for the components along it: the callers of its
    // calls but the first, as component indices (a caller that is no component covers none).
    const covered = new Uint8Array(m.components.length);
    for (const chain of chains.values()) {
      for (let k = 1; k < chain.length; k++) {
        const caller = o.callerOf[chain[k] as number] as number;
        if (caller >= 0) covered[caller] = 1;
      }
    }
    for (const i of nested) {
      const c = m.components[i] as (typeof m.components)[number];
      if (covered[i] === 1) continue;
      const chain = (chains.get(i) as number[]).map((d) => m.dependencies[d] as Dependency);
      const product = o.attemptsProduct[i] as number;
      findings.push({
        rule: "retry-amplification",
        key: `retry-amplification:${c.id}`,
        severity: "medium",
        message: `retries nest along ${chainText(chain)}: while ${c.id} fails it receives ${times(product)} the requests that reach it normally, and it declares no capacity to check that against`,
        components: [c.id, ...chainMembers(chain)],
        remediation: `${remediation(chain)} Declare the capacity of ${c.id} so the audit can check the storm against it.`,
        location: c.loc,
        data: {
          component: c.id,
          normal: o.load[i] as number,
          underFailure: o.underFailure[i] as number,
          attemptsProduct: product,
          chain: chainMembers(chain),
        },
      });
    }
    return { findings };
  },
};

/** "a →×3 b →×3 c": each call with its attempts. */
function chainText(chain: readonly Dependency[]): string {
  if (chain.length === 0) return "";
  const parts = [(chain[0] as Dependency).from];
  for (const d of chain) parts.push(`→${times(attemptsUnderFailure(d))} ${d.to}`);
  return parts.join(" ");
}

function chainMembers(chain: readonly Dependency[]): string[] {
  return chain.length === 0 ? [] : [(chain[0] as Dependency).from, ...chain.map((d) => d.to)];
}

function times(x: number): string {
  return `×${Number(x.toFixed(2))}`;
}

function remediation(chain: readonly Dependency[]): string {
  const retrying = chain.filter((d) => attemptsUnderFailure(d) > 1);
  const outer = retrying.slice(0, -1).map((d) => `${d.from} → ${d.to}`);
  return `Retry at one level only (${outer.length > 0 ? `drop the retries of ${outer.join(", ")}` : "the call nearest the failure"}), give the others a retry budget (retry.budget) and a circuit breaker, so a failure is not multiplied on its way down.`;
}
