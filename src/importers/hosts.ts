/**
 * @module importers/hosts
 * Host names in configuration: what a URL, a `host:port` or a bare host name designates, for
 * references between sources (an environment variable naming a database's endpoint).
 */
import { toId } from "./units.js";

/** The host of a URL, `host:port` or bare host name; undefined for anything else. */
export function hostOf(value: string): string | undefined {
  const v = value.trim().toLowerCase();
  const url = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?([^/:?#]+)/.exec(v);
  if (url) return url[1];
  const hostPort = /^([a-z0-9][a-z0-9.-]*[a-z0-9]):\d+(\/.*)?$/.exec(v);
  if (hostPort) return hostPort[1];
  if (/^[a-z0-9][a-z0-9-]*(\.[a-z0-9-]+)+\.?$/.test(v)) return v.replace(/\.$/, "");
  return undefined;
}

/** Whether a value looks like a host name, `host:port` or URL, i.e. may name a service. */
export function looksLikeHost(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/[^\s]+$|^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9-]+)+(:\d+)?$|^[a-z0-9]([a-z0-9-]*[a-z0-9])?:\d+$/i.test(
    value.trim(),
  );
}

/** `reviews`, `reviews.prod`, `reviews.prod.svc.cluster.local` are all the service `reviews`. */
export function serviceOfHost(host: string): string {
  return /\.svc(\.cluster\.local)?$/.test(host) || !host.includes(".")
    ? toId(host.split(".")[0] as string)
    : host.toLowerCase();
}
