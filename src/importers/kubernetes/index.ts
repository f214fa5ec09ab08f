/**
 * @module importers/kubernetes
 * Kubernetes manifests (multi-document YAML, `kubectl get -o yaml` lists, Helm's rendered
 * output) to a fragment. Workloads — Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs,
 * CronJobs and bare Pods — are components; Services name them (a Service's name becomes an
 * alias of the workloads it selects); Ingresses are load balancers that need the Services they
 * route to; HorizontalPodAutoscalers and PodDisruptionBudgets give the replicas and how many
 * must stay up; the environment (and ConfigMaps it reads) gives dependencies by host name,
 * resolved by the merge against every source. Placement is the cluster's zones, resolved by
 * the merge from the infrastructure that creates the cluster (`workloads.ts` says when
 * replicas count as spread over them).
 */

import { appendAll } from "../../model/arrays.js";
import { FragmentBuilder, list, provenance, record, text } from "../fragment.js";
import { looksLikeHost } from "../hosts.js";
import type { ComponentDraft, Importer, Managed } from "../types.js";
import { cmp, toId } from "../units.js";
import {
  annotation,
  isKubernetesObject,
  type K8sObject,
  objectsOf,
  podLabelsOf,
  podSpecOf,
  selects,
} from "./objects.js";
import {
  affinityZones,
  environmentValues,
  kindOf,
  readyAfter,
  replicasOf,
  spreadOverZones,
} from "./workloads.js";

const WORKLOADS = new Set([
  "Deployment",
  "StatefulSet",
  "DaemonSet",
  "ReplicaSet",
  "Job",
  "CronJob",
  "Pod",
]);
/** Kinds read for what they say about workloads, or that carry nothing the audit needs. */
const KNOWN = new Set([
  "Service",
  "Ingress",
  "HorizontalPodAutoscaler",
  "PodDisruptionBudget",
  "ConfigMap",
  "Secret",
  "ServiceAccount",
  "Namespace",
  "NetworkPolicy",
  "Role",
  "RoleBinding",
  "ClusterRole",
  "ClusterRoleBinding",
  "PersistentVolumeClaim",
  "PersistentVolume",
  "StorageClass",
  "LimitRange",
  "ResourceQuota",
  "PriorityClass",
  "IngressClass",
  "CustomResourceDefinition",
  "Endpoints",
  "EndpointSlice",
]);

const address = (o: K8sObject) => `${o.kind}/${o.namespace}/${o.name}`;

export const kubernetesImporter: Importer = {
  format: "kubernetes",
  detect: (doc) => isKubernetesObject(doc.data) || record(doc.data)?.kind === "List",
  run(docs) {
    const out = new FragmentBuilder("kubernetes");
    const objects: K8sObject[] = [];
    for (const doc of docs) {
      const { objects: found, unnamed } = objectsOf(doc);
      appendAll(objects, found);
      for (const path of unnamed)
        out.report(
          "invalid-input",
          "error",
          { file: doc.file, ...doc.locate(path) },
          "a Kubernetes object needs apiVersion, kind and metadata.name",
        );
    }
    objects.sort((a, b) => cmp(address(a), address(b)) || cmp(a.doc.file, b.doc.file));
    const at = (o: K8sObject) => provenance(o.doc, o.path, address(o));

    const configMaps = new Map<string, Record<string, unknown>>();
    const serviceAccounts = new Map<string, K8sObject>();
    for (const o of objects) {
      if (o.kind === "ConfigMap")
        configMaps.set(`${o.namespace}/${o.name}`, record(o.body.data) ?? {});
      if (o.kind === "ServiceAccount") serviceAccounts.set(`${o.namespace}/${o.name}`, o);
    }

    const workloads = objects.filter((o) => WORKLOADS.has(o.kind) && !ownedByWorkload(o, objects));
    const services = objects.filter((o) => o.kind === "Service");
    const ids = idsOf(workloads);
    const idOf = (o: K8sObject) => ids.get(o) as string;
    const selected = (svc: K8sObject) =>
      workloads.filter(
        (w) =>
          w.namespace === svc.namespace &&
          selects(record(record(svc.body.spec)?.selector), podLabelsOf(w)),
      );

    // Services: aliases for the workloads they select; external names and load balancers.
    const aliases = new Map<K8sObject, Set<string>>();
    const exposed = new Set<K8sObject>();
    const serviceTargets = new Map<string, string[]>();
    for (const svc of services) {
      const spec = record(svc.body.spec) ?? {};
      const targets = selected(svc);
      const names = [
        svc.name,
        `${svc.name}.${svc.namespace}`,
        `${svc.name}.${svc.namespace}.svc`,
        `${svc.name}.${svc.namespace}.svc.cluster.local`,
      ];
      if (spec.type === "ExternalName" && typeof spec.externalName === "string") {
        const id = uniqueId(`${toId(svc.name)}`, ids);
        out.component({
          id,
          kind: "external",
          placement: { at: "global" },
          aliases: [...names, spec.externalName],
          source: at(svc),
        });
        serviceTargets.set(`${svc.namespace}/${svc.name}`, [id]);
        continue;
      }
      for (const w of targets) {
        exposed.add(w);
        const set = aliases.get(w) ?? new Set<string>();
        for (const n of names) set.add(n);
        aliases.set(w, set);
      }
      serviceTargets.set(`${svc.namespace}/${svc.name}`, targets.map(idOf));
      if (targets.length === 0 && spec.selector === undefined)
        out.report(
          "ignored",
          "info",
          at(svc),
          `Service ${svc.namespace}/${svc.name} selects no pods (its endpoints are managed by hand): not imported`,
        );
      if (spec.type === "LoadBalancer" && targets.length > 0) {
        const aws = Object.keys(record(record(svc.body.metadata)?.annotations) ?? {}).some((k) =>
          k.startsWith("service.beta.kubernetes.io/aws-load-balancer"),
        );
        const id = uniqueId(`${toId(svc.name)}-lb`, ids);
        out.component({
          id,
          kind: "load-balancer",
          placement: { at: "cluster", spread: true },
          ...(aws ? { managed: { provider: "aws", service: "elb", traits: [] } } : {}),
          source: at(svc),
        });
        for (const t of targets)
          out.dependency({ from: id, to: idOf(t), hard: true, source: at(svc) });
      }
    }

    // Autoscalers and disruption budgets: how many pods there are, and how many must stay up.
    const minReplicas = new Map<K8sObject, number>();
    const minAvailable = new Map<K8sObject, number>();
    for (const o of objects) {
      const spec = record(o.body.spec) ?? {};
      if (o.kind === "HorizontalPodAutoscaler") {
        const ref = record(spec.scaleTargetRef);
        const target = workloads.find(
          (w) => w.kind === ref?.kind && w.name === ref?.name && w.namespace === o.namespace,
        );
        if (target) minReplicas.set(target, Number(spec.minReplicas ?? 1));
      } else if (o.kind === "PodDisruptionBudget") {
        const selector = record(record(spec.selector)?.matchLabels);
        for (const w of workloads) {
          if (w.namespace !== o.namespace || !selects(selector, podLabelsOf(w))) continue;
          const replicas = minReplicas.get(w) ?? replicasOf(w);
          const k = budget(spec, replicas);
          if (k !== undefined) minAvailable.set(w, k);
        }
      } else if (!WORKLOADS.has(o.kind) && !KNOWN.has(o.kind))
        out.unknownType(`${o.apiVersion}/${o.kind}`, at(o));
    }

    for (const w of workloads) {
      const replicas = minReplicas.get(w) ?? replicasOf(w);
      const spread = replicas >= 2 && spreadOverZones(w);
      const zones = affinityZones(w);
      const ready = readyAfter(w);
      const draft: ComponentDraft = {
        id: idOf(w),
        kind: kindOf(w, exposed.has(w)),
        placement: {
          at: "cluster",
          spread: spread || w.kind === "DaemonSet",
          replicas,
          ...(minAvailable.has(w) ? { minAvailable: minAvailable.get(w) as number } : {}),
          ...(zones ? { zones } : {}),
        },
        ...(ready !== undefined ? { restart: ready } : {}),
        ...managedOf(w, serviceAccounts),
        aliases: [...(aliases.get(w) ?? [])].sort(),
        source: at(w),
      };
      out.component(draft);
      for (const value of [...new Set(environmentValues(w, configMaps))].sort()) {
        if (looksLikeHost(value)) out.reference({ from: idOf(w), target: value, source: at(w) });
        else if (/^[a-z0-9][a-z0-9._-]{2,}$/i.test(value))
          out.reference({ from: idOf(w), target: value, exact: true, source: at(w) });
      }
    }

    for (const ing of objects.filter((o) => o.kind === "Ingress"))
      readIngress(ing, ids, serviceTargets, out, at(ing));
    return out.build();
  },
};

/** Pods and ReplicaSets owned by a workload in the same set are its replicas, not components. */
function ownedByWorkload(o: K8sObject, all: readonly K8sObject[]): boolean {
  const owners = record(o.body.metadata)?.ownerReferences;
  if (!Array.isArray(owners)) return false;
  return owners.some((r) =>
    all.some(
      (w) =>
        w !== o &&
        WORKLOADS.has(w.kind) &&
        w.name === record(r)?.name &&
        w.kind === record(r)?.kind,
    ),
  );
}

/** Workload ids: the name, or `namespace/name` when two namespaces use the same name. */
function idsOf(workloads: readonly K8sObject[]): Map<K8sObject, string> {
  const count = new Map<string, number>();
  for (const w of workloads) count.set(toId(w.name), (count.get(toId(w.name)) ?? 0) + 1);
  const ids = new Map<K8sObject, string>();
  const taken = new Set<string>();
  for (const w of workloads) {
    const base =
      (count.get(toId(w.name)) ?? 0) > 1 ? toId(`${w.namespace}/${w.name}`) : toId(w.name);
    let id = base;
    for (let i = 2; taken.has(id); i++) id = `${base}-${i}`;
    taken.add(id);
    ids.set(w, id);
  }
  return ids;
}

function uniqueId(base: string, ids: Map<K8sObject, string>): string {
  const taken = new Set(ids.values());
  let id = base;
  for (let i = 2; taken.has(id); i++) id = `${base}-${i}`;
  return id;
}

/** Pods a budget keeps: `minAvailable`, or the replicas less `maxUnavailable` (counts or %). */
function budget(spec: Record<string, unknown>, replicas: number): number | undefined {
  const value = (v: unknown, round: (x: number) => number) => {
    if (typeof v === "number") return v;
    const pct = typeof v === "string" ? /^(\d+(?:\.\d+)?)%$/.exec(v) : null;
    return pct ? round((Number(pct[1]) / 100) * replicas) : undefined;
  };
  const min = value(spec.minAvailable, Math.ceil);
  if (min !== undefined) return min;
  const max = value(spec.maxUnavailable, Math.floor);
  return max !== undefined ? Math.max(0, replicas - max) : undefined;
}

/** Workloads whose service account assumes a cloud role: the catalogue's credential edges. */
function managedOf(w: K8sObject, accounts: ReadonlyMap<string, K8sObject>): { managed?: Managed } {
  const name = text(podSpecOf(w)?.serviceAccountName) ?? "default";
  const sa = accounts.get(`${w.namespace}/${name}`);
  if (!sa) return {};
  if (annotation(sa, "eks.amazonaws.com/role-arn") !== undefined)
    return { managed: { provider: "aws", service: "eks-pod", traits: ["role"] } };
  if (annotation(sa, "iam.gke.io/gcp-service-account") !== undefined)
    return { managed: { provider: "google", service: "gke", traits: ["workload-identity"] } };
  if (annotation(sa, "azure.workload.identity/client-id") !== undefined)
    return { managed: { provider: "azure", service: "aks-pod", traits: ["managed-identity"] } };
  return {};
}

function readIngress(
  ing: K8sObject,
  ids: Map<K8sObject, string>,
  serviceTargets: ReadonlyMap<string, string[]>,
  out: FragmentBuilder,
  source: ReturnType<typeof provenance>,
): void {
  const spec = record(ing.body.spec) ?? {};
  const backends = new Set<string>();
  const backend = (b: unknown) => {
    const name = text(record(record(b)?.service)?.name) ?? text(record(b)?.serviceName);
    if (name !== undefined) backends.add(name);
  };
  backend(spec.defaultBackend ?? spec.backend);
  const hosts: string[] = [];
  for (const r of list(spec.rules)) {
    const rule = record(r);
    if (typeof rule?.host === "string") hosts.push(rule.host);
    for (const p of list(record(rule?.http)?.paths)) backend(record(p)?.backend);
  }
  const cls = text(spec.ingressClassName) ?? annotation(ing, "kubernetes.io/ingress.class");
  const id = uniqueId(
    [...ids.values()].includes(toId(ing.name)) ? `${toId(ing.name)}-ingress` : toId(ing.name),
    ids,
  );
  out.component({
    id,
    kind: "load-balancer",
    placement: { at: "cluster", spread: true },
    ...(cls === "alb" ? { managed: { provider: "aws", service: "elb", traits: [] } } : {}),
    aliases: hosts,
    source,
  });
  for (const name of [...backends].sort()) {
    const targets = serviceTargets.get(`${ing.namespace}/${name}`);
    if (!targets || targets.length === 0) {
      out.report(
        "unresolved-reference",
        "warning",
        source,
        `Ingress ${ing.namespace}/${ing.name} routes to Service ${name}, which selects no workload in the sources`,
      );
      continue;
    }
    for (const t of targets) out.dependency({ from: id, to: t, hard: true, source });
  }
}
