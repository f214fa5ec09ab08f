/**
 * @module importers/kubernetes/workloads
 * What a workload's pod template says about the component: its kind (from the image, or from
 * whether a Service exposes it), whether its replicas are spread over zones, how long a pod
 * takes to become ready, and the names its environment refers to.
 *
 * Spread is taken only from what the scheduler must honour: a `topologySpreadConstraints`
 * entry on the zone label with `whenUnsatisfiable: DoNotSchedule`, or a required pod
 * anti-affinity on the zone label. A preferred spread may put every replica in one zone, so it
 * counts as none: the audit then sees a workload that any one of its zones can take down, and
 * says so.
 */
import type { ComponentKind } from "../../model/types.js";
import { list, num, record, text } from "../fragment.js";
import { kindOfImages } from "../images.js";
import { durationText } from "../units.js";
import type { K8sObject } from "./objects.js";
import { podSpecOf } from "./objects.js";

const ZONE_KEYS = new Set([
  "topology.kubernetes.io/zone",
  "failure-domain.beta.kubernetes.io/zone",
]);

export function kindOf(o: K8sObject, exposed: boolean): ComponentKind {
  const byImage = kindOfImages(containersOf(o).map((c) => String(c.image ?? "")));
  if (byImage !== undefined) return byImage;
  if (o.kind === "CronJob") return "automation";
  if (o.kind === "Job") return "worker";
  return exposed ? "api" : "worker";
}

export function containersOf(o: K8sObject): Record<string, unknown>[] {
  const spec = podSpecOf(o);
  return [...list(spec?.containers), ...list(spec?.initContainers)]
    .map((c) => record(c))
    .filter((c): c is Record<string, unknown> => c !== undefined);
}

export function replicasOf(o: K8sObject): number {
  if (o.kind === "Pod" || o.kind === "Job" || o.kind === "CronJob") return 1;
  return num(record(o.body.spec)?.replicas) ?? 1;
}

/** Whether the scheduler must spread the pods over zones. */
export function spreadOverZones(o: K8sObject): boolean {
  if (o.kind === "DaemonSet") return true;
  const spec = podSpecOf(o);
  const constraints = list(spec?.topologySpreadConstraints).map((c) => record(c));
  if (
    constraints.some(
      (c) => ZONE_KEYS.has(String(c?.topologyKey)) && c?.whenUnsatisfiable !== "ScheduleAnyway",
    )
  )
    return true;
  const anti = record(record(spec?.affinity)?.podAntiAffinity);
  return list(anti?.requiredDuringSchedulingIgnoredDuringExecution).some((t) =>
    ZONE_KEYS.has(String(record(t)?.topologyKey)),
  );
}

/** Zones a required node affinity confines the pods to. */
export function affinityZones(o: K8sObject): string[] | undefined {
  const node = record(record(podSpecOf(o)?.affinity)?.nodeAffinity);
  const terms = list(
    record(node?.requiredDuringSchedulingIgnoredDuringExecution)?.nodeSelectorTerms,
  );
  const zones: string[] = [];
  for (const t of terms)
    for (const e of list(record(t)?.matchExpressions)) {
      const expr = record(e);
      if (ZONE_KEYS.has(String(expr?.key)) && expr?.operator === "In")
        for (const v of list(expr.values)) if (typeof v === "string") zones.push(v);
    }
  const selector = record(podSpecOf(o)?.nodeSelector);
  for (const k of ZONE_KEYS)
    if (typeof selector?.[k] === "string") zones.push(selector[k] as string);
  return zones.length > 0 ? [...new Set(zones)].sort() : undefined;
}

/** Time to ready: the longest readiness (or startup) probe's initial delay plus one period. */
export function readyAfter(o: K8sObject): string | undefined {
  let best: number | undefined;
  for (const c of containersOf(o)) {
    const probe = record(c.startupProbe) ?? record(c.readinessProbe);
    if (!probe) continue;
    const t = (num(probe.initialDelaySeconds) ?? 0) + (num(probe.periodSeconds) ?? 10);
    best = Math.max(best ?? 0, t);
  }
  return best === undefined ? undefined : durationText(best);
}

/**
 * Values of the environment that may name another service: literal values, and values read
 * from ConfigMaps (`configMapKeyRef`, `envFrom`). Secrets are not read.
 */
export function environmentValues(
  o: K8sObject,
  configMaps: ReadonlyMap<string, Record<string, unknown>>,
): string[] {
  const out: string[] = [];
  const fromMap = (name: unknown, key?: unknown) => {
    const data = configMaps.get(`${o.namespace}/${String(name)}`);
    if (!data) return;
    if (key === undefined) {
      for (const v of Object.values(data)) if (typeof v === "string") out.push(v);
    } else if (typeof data[String(key)] === "string") out.push(data[String(key)] as string);
  };
  for (const c of containersOf(o)) {
    for (const e of list(c.env)) {
      const env = record(e);
      const value = text(env?.value);
      if (value !== undefined) out.push(value);
      const ref = record(record(env?.valueFrom)?.configMapKeyRef);
      if (ref) fromMap(ref.name, ref.key);
    }
    for (const e of list(c.envFrom)) {
      const ref = record(record(e)?.configMapRef);
      if (ref) fromMap(ref.name);
    }
  }
  return out;
}
