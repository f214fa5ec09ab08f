/**
 * @module importers/kubernetes/objects
 * Kubernetes API objects as read from manifests: one object per YAML document (a `List` is
 * unrolled into its items), with its kind, namespace, name, labels and where it is written.
 * Helm's rendered output is such a stream. Also the label-selector match that Services,
 * PodDisruptionBudgets and HorizontalPodAutoscalers use to find their pods.
 */
import { list, record, text } from "../fragment.js";
import type { PathKey, SourceDocument } from "../types.js";

export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly body: Record<string, unknown>;
  readonly doc: SourceDocument;
  readonly path: readonly PathKey[];
}

export function isKubernetesObject(data: unknown): boolean {
  const d = record(data);
  return d !== undefined && typeof d.apiVersion === "string" && typeof d.kind === "string";
}

/** The objects of a document; those without a name are returned in `unnamed`. */
export function objectsOf(doc: SourceDocument): { objects: K8sObject[]; unnamed: PathKey[][] } {
  const objects: K8sObject[] = [];
  const unnamed: PathKey[][] = [];
  const add = (value: unknown, path: PathKey[]) => {
    const body = record(value);
    if (!body) return;
    const kind = text(body.kind);
    const apiVersion = text(body.apiVersion);
    if (kind === "List" || (kind?.endsWith("List") && Array.isArray(body.items))) {
      for (const [i, item] of list(body.items).entries()) add(item, [...path, "items", i]);
      return;
    }
    const meta = record(body.metadata);
    const name = text(meta?.name);
    if (kind === undefined || apiVersion === undefined || name === undefined) {
      unnamed.push(path);
      return;
    }
    objects.push({
      apiVersion,
      kind,
      namespace: text(meta?.namespace) ?? "default",
      name,
      body,
      doc,
      path,
    });
  };
  add(doc.data, []);
  return { objects, unnamed };
}

/** The pod template of a workload (Deployment, StatefulSet, DaemonSet, Job, …), or the Pod. */
export function podSpecOf(o: K8sObject): Record<string, unknown> | undefined {
  if (o.kind === "Pod") return record(o.body.spec);
  if (o.kind === "CronJob")
    return record(record(record(record(record(o.body.spec)?.jobTemplate)?.spec)?.template)?.spec);
  return record(record(record(o.body.spec)?.template)?.spec);
}

export function podLabelsOf(o: K8sObject): Record<string, unknown> {
  if (o.kind === "Pod") return record(record(o.body.metadata)?.labels) ?? {};
  if (o.kind === "CronJob")
    return (
      (record(record(record(record(record(o.body.spec)?.jobTemplate)?.spec)?.template)?.metadata)
        ?.labels as Record<string, unknown>) ?? {}
    );
  return record(record(record(record(o.body.spec)?.template)?.metadata)?.labels) ?? {};
}

/** Whether every `key: value` of a selector is among the labels (an empty selector matches none). */
export function selects(
  selector: Record<string, unknown> | undefined,
  labels: Record<string, unknown>,
): boolean {
  if (!selector) return false;
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}

export function annotation(o: K8sObject, key: string): string | undefined {
  return text(record(record(o.body.metadata)?.annotations)?.[key]);
}
