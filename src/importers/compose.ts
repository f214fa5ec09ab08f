/**
 * @module importers/compose
 * Compose files (the Compose specification: `services`, `depends_on` with conditions,
 * `healthcheck`, `networks`, `deploy.replicas`) to a fragment. A Compose project runs on one
 * host, so every service is placed in one failure domain, `compose:<project>` (the project is
 * the file's `name`, else its directory's name): replicas on one host add no failure domain,
 * and the audit sees the host as the single point of failure it is.
 *
 * `depends_on` is a start order, and usually a runtime dependency too: `service_started` and
 * `service_healthy` become `needs`, `required: false` makes it `wants`, and
 * `service_completed_successfully` (a one-shot job, such as a migration) is no runtime
 * dependency and is reported as such. The environment gives dependencies by host name; a
 * reference between services that share no network is reported, since it cannot work.
 */
import { basename, dirname } from "node:path";
import { FragmentBuilder, list, num, provenance, record, text } from "./fragment.js";
import { looksLikeHost } from "./hosts.js";
import { kindOfImages } from "./images.js";
import { listed } from "./merge.js";
import type { Importer, Provenance } from "./types.js";
import { cmp, durationText, parseSourceDuration, toId } from "./units.js";

export function isCompose(data: unknown): boolean {
  const d = record(data);
  const services = record(d?.services);
  if (!d || !services || typeof d.apiVersion === "string") return false;
  const entries = Object.values(services).map(record);
  return (
    entries.length > 0 && entries.every((s) => s !== undefined && ("image" in s || "build" in s))
  );
}

export const composeImporter: Importer = {
  format: "compose",
  detect: (doc) => isCompose(doc.data),
  run(docs) {
    const out = new FragmentBuilder("compose");
    const oneShot: Provenance[] = [];
    for (const doc of docs) {
      const d = record(doc.data) ?? {};
      const services = record(d.services);
      if (!services) {
        out.report(
          "invalid-input",
          "error",
          { file: doc.file, ...doc.locate([]) },
          "not a Compose file: expected a services mapping",
        );
        continue;
      }
      const project = toId(text(d.name) ?? (basename(dirname(doc.file)) || "compose"));
      const host = `compose:${project}`;
      const ids = new Map(Object.keys(services).map((name) => [name, toId(name)]));
      const networksOf = new Map<string, Set<string>>();
      for (const [name, s] of Object.entries(services)) {
        const nets = record(s)?.networks;
        networksOf.set(
          name,
          new Set(
            Array.isArray(nets)
              ? nets.map(String)
              : nets
                ? Object.keys(record(nets) ?? {})
                : ["default"],
          ),
        );
      }
      // Services others depend on or call serve requests, ports or not.
      const called = new Set<string>();
      for (const [name, v] of Object.entries(services)) {
        const deps = record(v)?.depends_on;
        const started = Array.isArray(deps)
          ? deps.map(String)
          : Object.entries(record(deps) ?? {})
              .filter(([, o]) => record(o)?.condition !== "service_completed_successfully")
              .map(([t]) => t);
        for (const t of started) called.add(t);
        for (const [, value] of environment(record(v)?.environment))
          for (const other of ids.keys())
            if (other !== name && (value === other || hostIs(value, other))) called.add(other);
      }
      const share = (a: string, b: string) =>
        [...(networksOf.get(a) ?? [])].some((n) => networksOf.get(b)?.has(n));

      for (const [name, value] of Object.entries(services).sort((a, b) => cmp(a[0], b[0]))) {
        const s = record(value) ?? {};
        const id = ids.get(name) as string;
        const at = provenance(doc, ["services", name], `services.${name}`, "key");
        const replicas = num(record(s.deploy)?.replicas) ?? 1;
        const ports = list(s.ports).length > 0 || list(s.expose).length > 0;
        const health = record(s.healthcheck);
        const ready =
          health && health.disable !== true
            ? (parseSourceDuration(health.start_period) ?? 0) +
              (parseSourceDuration(health.interval) ?? 30)
            : undefined;
        out.component({
          id,
          kind:
            kindOfImages([text(s.image) ?? ""]) ?? (ports || called.has(name) ? "api" : "worker"),
          placement: { at: "domain", domain: host, kind: "host" },
          ...(replicas > 1 ? { description: `${replicas} replicas on one host` } : {}),
          ...(ready !== undefined ? { restart: durationText(ready) } : {}),
          aliases: [
            name,
            ...[s.container_name, s.hostname].filter((x): x is string => typeof x === "string"),
          ],
          source: at,
        });

        // depends_on: a list of names, or a map of name → { condition, required }.
        const deps = Array.isArray(s.depends_on)
          ? s.depends_on.map((n) => [String(n), {} as Record<string, unknown>] as const)
          : Object.entries(record(s.depends_on) ?? {}).map(
              ([n, v]) => [n, record(v) ?? {}] as const,
            );
        for (const [target, options] of deps) {
          const dat = provenance(
            doc,
            ["services", name, "depends_on", target],
            `services.${name}.depends_on.${target}`,
            "key",
          );
          if (!ids.has(target)) {
            out.report(
              "unresolved-reference",
              "error",
              dat,
              `${name} depends on '${target}', which is not a service of this file`,
            );
            continue;
          }
          if (options.condition === "service_completed_successfully") {
            oneShot.push({ ...dat, address: `${name} → ${target}` });
            continue;
          }
          out.dependency({
            from: id,
            to: ids.get(target) as string,
            hard: options.required !== false,
            ...(options.required === false ? { options: { degraded: "starts without it" } } : {}),
            source: dat,
          });
        }
        for (const link of list(s.links)) {
          const target = String(link).split(":")[0] as string;
          if (ids.has(target))
            out.dependency({ from: id, to: ids.get(target) as string, hard: true, source: at });
        }

        for (const [key, v] of environment(s.environment)) {
          const eat = provenance(
            doc,
            ["services", name, "environment", key],
            `services.${name}.environment.${key}`,
          );
          const other = [...ids.keys()].find((n) => n !== name && (v === n || hostIs(v, n)));
          if (other !== undefined && !share(name, other))
            out.report(
              "invalid-input",
              "warning",
              eat,
              `${name} refers to ${other} (${v}), but they share no network: the call cannot work`,
            );
          if (looksLikeHost(v)) out.reference({ from: id, target: v, source: eat });
          else if (/^[a-z0-9][a-z0-9._-]{2,}$/i.test(v))
            out.reference({ from: id, target: v, exact: true, source: eat });
        }
      }
    }
    if (oneShot.length > 0)
      out.report(
        "ignored",
        "info",
        oneShot[0] as Provenance,
        `${oneShot.length} depends_on with condition service_completed_successfully order a one-shot job before a start, which is no runtime dependency: not imported (${listed(oneShot.map((o) => o.address))})`,
      );
    return out.build();
  },
};

/** Entries of `environment`, a list of `KEY=value` (keyed by index) or a map. */
function environment(env: unknown): [string | number, string][] {
  if (Array.isArray(env))
    return env.flatMap((e, i): [number, string][] => {
      const t = String(e);
      const eq = t.indexOf("=");
      return eq > 0 ? [[i, t.slice(eq + 1)]] : [];
    });
  return Object.entries(record(env) ?? {}).flatMap(([k, v]): [string, string][] =>
    typeof v === "string" && v !== "" ? [[k, v]] : [],
  );
}

function hostIs(value: string, service: string): boolean {
  const v = value.toLowerCase();
  const s = service.toLowerCase();
  return new RegExp(
    `^([a-z][a-z0-9+.-]*://([^@/]*@)?)?${s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(:\\d+)?([/?].*)?$`,
  ).test(v);
}
