/**
 * @module importers/terraform/resources
 * The resources of `terraform show -json` output, plan or state, with modules flattened.
 *
 * A state (`terraform show -json` after apply) has `values.root_module`, each module with
 * `resources` and `child_modules` (each with its `address`), and each resource with its
 * `address` (`module.app.aws_lambda_function.orders["eu"]`), `mode`, `type`, `name`,
 * `index`, `provider_name`, `values` and `depends_on`. A plan (`terraform show -json
 * plan.out`) has the same tree under `planned_values` (without `depends_on`), and the
 * configuration under `configuration`: per module its `resources` with `expressions` whose
 * `references` name what each argument refers to, `depends_on`, and `module_calls`, plus the
 * providers' arguments under `provider_config` (the region). Both are read; what the plan's
 * configuration says is used where the values are not yet known.
 */
import { list, record, text } from "../fragment.js";
import type { PathKey, SourceDocument } from "../types.js";

export interface Resource {
  /** Full address, with module path and instance key: `module.app.aws_lb.web[0]`. */
  readonly address: string;
  /** Address without the instance key: what `count` and `for_each` instances share. */
  readonly base: string;
  /** Module path, `module.app.module.db` (empty at the root). */
  readonly module: string;
  readonly type: string;
  readonly name: string;
  readonly mode: "managed" | "data";
  /** The provider's short name: `aws`, `azurerm`, `google`. */
  readonly provider: string;
  readonly values: Record<string, unknown>;
  /** Addresses (without instance keys) this resource depends on, as the source says. */
  readonly dependsOn: readonly string[];
  readonly doc: SourceDocument;
  readonly path: readonly PathKey[];
}

/** What the plan's configuration says about each resource (by base address). */
export interface Configuration {
  /** References of each resource's arguments, resolved to resource base addresses. */
  readonly references: ReadonlyMap<string, ReadonlySet<string>>;
  /** Region of each provider configuration, by provider short name (the default one). */
  readonly regions: ReadonlyMap<string, string>;
  /** Resources referenced by one argument (a dotted path, blocks stepped into) of a resource. */
  attributeReferences(base: string, path: string): string[];
}

export function isTerraform(data: unknown): boolean {
  const d = record(data);
  if (!d || typeof d.format_version !== "string") return false;
  return (
    typeof d.terraform_version === "string" ||
    "values" in d ||
    "planned_values" in d ||
    "resource_changes" in d
  );
}

export function readResources(doc: SourceDocument): Resource[] {
  const d = record(doc.data) ?? {};
  const out: Resource[] = [];
  const state = record(record(d.values)?.root_module);
  const planned = record(record(d.planned_values)?.root_module);
  const [root, key] = state ? [state, "values"] : [planned, "planned_values"];
  if (root) walkModule(root, [key, "root_module"], doc, out);
  return out;
}

function walkModule(
  module: Record<string, unknown>,
  path: PathKey[],
  doc: SourceDocument,
  out: Resource[],
): void {
  list(module.resources).forEach((r, i) => {
    const res = record(r);
    if (!res) return;
    const address = text(res.address);
    const type = text(res.type);
    const name = text(res.name);
    if (address === undefined || type === undefined || name === undefined) return;
    const base = address.replace(/\[[^\]]*\]$/, "");
    const module = base.slice(0, Math.max(0, base.length - `${type}.${name}`.length - 1));
    out.push({
      address,
      base,
      module: base.startsWith("data.") ? "" : module.replace(/\.?data$/, ""),
      type,
      name,
      mode: res.mode === "data" ? "data" : "managed",
      provider: shortProvider(text(res.provider_name) ?? type.split("_")[0] ?? ""),
      values: record(res.values) ?? {},
      dependsOn: list(res.depends_on).filter((x): x is string => typeof x === "string"),
      doc,
      path: [...path, "resources", i],
    });
  });
  list(module.child_modules).forEach((m, i) => {
    const child = record(m);
    if (child) walkModule(child, [...path, "child_modules", i], doc, out);
  });
}

/** `registry.terraform.io/hashicorp/aws` → `aws`. */
function shortProvider(name: string): string {
  return name.split("/").pop() ?? name;
}

export function readConfiguration(doc: SourceDocument): Configuration {
  const d = record(doc.data) ?? {};
  const config = record(d.configuration);
  const references = new Map<string, Set<string>>();
  const regions = new Map<string, string>();
  const expressions = new Map<string, { expr: unknown; prefix: string }>();
  const attributeReferences = (base: string, path: string): string[] => {
    const entry = expressions.get(base);
    if (!entry) return [];
    let level: unknown[] = [entry.expr];
    for (const step of path.split(".")) {
      const next: unknown[] = [];
      for (const x of level)
        for (const item of Array.isArray(x) ? x : [x]) {
          const r = record(item);
          if (r && step in r) next.push(r[step]);
        }
      level = next;
    }
    const out = new Set<string>();
    for (const x of level) collectReferences(x, entry.prefix, out);
    return [...out];
  };
  if (!config) return { references, regions, attributeReferences };
  for (const [key, p] of Object.entries(record(config.provider_config) ?? {})) {
    const provider = record(p);
    const region = text(record(record(provider?.expressions)?.region)?.constant_value);
    const name = text(provider?.name) ?? key;
    // The default configuration of a provider has no alias; aliased ones say `aws.west`.
    if (region !== undefined && provider?.alias === undefined && !regions.has(name))
      regions.set(name, region);
  }
  const visit = (module: Record<string, unknown>, prefix: string) => {
    for (const r of list(module.resources)) {
      const res = record(r);
      const address = text(res?.address);
      if (!res || address === undefined) continue;
      const refs = new Set<string>();
      collectReferences(res.expressions, prefix, refs);
      for (const dep of list(res.depends_on))
        if (typeof dep === "string") addReference(dep, prefix, refs);
      references.set(`${prefix}${address}`, refs);
      expressions.set(`${prefix}${address}`, { expr: res.expressions, prefix });
    }
    for (const [name, call] of Object.entries(record(module.module_calls) ?? {})) {
      const inner = record(record(call)?.module);
      if (inner) visit(inner, `${prefix}module.${name}.`);
    }
  };
  const root = record(config.root_module);
  if (root) visit(root, "");
  return { references, regions, attributeReferences };
}

function collectReferences(expr: unknown, prefix: string, out: Set<string>): void {
  if (Array.isArray(expr)) {
    for (const e of expr) collectReferences(e, prefix, out);
    return;
  }
  const e = record(expr);
  if (!e) return;
  for (const ref of list(e.references)) if (typeof ref === "string") addReference(ref, prefix, out);
  for (const [k, v] of Object.entries(e)) if (k !== "references") collectReferences(v, prefix, out);
}

/**
 * `aws_iam_role.lambda.arn` → `aws_iam_role.lambda`; `data.x.y.id` → `data.x.y`; variables,
 * locals, `each`, `count`, `path` and module outputs name no resource.
 */
function addReference(ref: string, prefix: string, out: Set<string>): void {
  const parts = ref.replace(/\[[^\]]*\]/g, "").split(".");
  const head = parts[0];
  if (
    head === undefined ||
    ["var", "local", "each", "count", "path", "self", "terraform", "module"].includes(head)
  )
    return;
  if (head === "data") {
    if (parts.length >= 3) out.add(`${prefix}data.${parts[1]}.${parts[2]}`);
    return;
  }
  if (parts.length >= 2) out.add(`${prefix}${head}.${parts[1]}`);
}
