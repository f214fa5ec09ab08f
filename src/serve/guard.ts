/**
 * @module serve/guard
 * Who may talk to `faultline serve`. A server on 127.0.0.1 is still reachable from every web
 * page the user opens: a page can send it requests (cross-site POSTs need no permission), and
 * through DNS rebinding — a name of the attacker's that first points at their server, then at
 * 127.0.0.1 — it can even read the answers. Three checks close that:
 *
 * - **Host**: the request must name this server as the user reached it — the loopback address
 *   or `localhost`, the bound address, or a name allowed at start. A rebound name is refused.
 * - **Origin**: a request that changes a file or costs CPU (every method but GET) must come from
 *   this server's own page; an API GET the browser marks as cross-site is refused as well.
 * - **Token**: listening beyond loopback, every API request needs the token printed at start,
 *   since anyone on the network can send a valid Host and Origin.
 *
 * Every answer also forbids framing (clickjacking) and sending the address elsewhere.
 * `refusal` is pure: it sees the method, path and headers and returns what to answer, if not
 * the request's own answer.
 */
import { timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";
import { HttpError } from "./http-error.js";

export interface AccessOptions {
  /** The address the server listens on. */
  readonly host: string;
  /** More host names to answer to (a name the machine has on the network, a proxy's). */
  readonly allowHosts?: readonly string[];
  /** Required in an `Authorization: Bearer` header on API requests, when set. */
  readonly token?: string | null;
}

export interface AccessPolicy {
  readonly hosts: ReadonlySet<string>;
  /** Listening on every address: any IP address may name the server (a rebound name cannot). */
  readonly anyAddress: boolean;
  readonly token: string | null;
}

const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "::1"];

/** 127.0.0.0/8, ::1 and `localhost`: addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  const h = bare(host.toLowerCase());
  return h === "localhost" || h === "::1" || (isIP(h) === 4 && h.startsWith("127."));
}

export function accessPolicy(options: AccessOptions): AccessPolicy {
  const bound = bare(options.host.toLowerCase());
  const anyAddress = bound === "0.0.0.0" || bound === "::";
  const hosts = new Set([...LOOPBACK_NAMES, ...(options.allowHosts ?? []).map(normalHost)]);
  if (!anyAddress) hosts.add(bound);
  return { hosts, anyAddress, token: options.token ?? null };
}

export interface RequestView {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** Why the request is refused, or null when it may go on. */
export function refusal(policy: AccessPolicy, req: RequestView): HttpError | null {
  const host = header(req, "host");
  if (host === undefined || !hostAllowed(policy, host))
    return new HttpError(
      403,
      `refused: this server does not answer to the name '${host ?? ""}'. Open it at the address ` +
        "it printed (a page reaching it under another name may be a DNS-rebinding attack); " +
        "to allow a name, start it with --allow-host NAME",
    );
  const origin = header(req, "origin");
  const site = header(req, "sec-fetch-site");
  const safe = req.method === "GET" || req.method === "HEAD";
  if (origin !== undefined && origin !== `http://${host.toLowerCase()}`)
    return new HttpError(
      403,
      `refused: a request from ${origin} (another site) may not use this server; only its own page may`,
    );
  if (!safe && origin === undefined)
    return new HttpError(
      403,
      `refused: ${req.method} needs an Origin header naming this server (http://${host}), as the page sends`,
    );
  // A link from another site to the page itself is fine; its API is not for other sites.
  const api = req.path.startsWith("/api/");
  if (api && site !== undefined && site !== "same-origin" && site !== "none")
    return new HttpError(403, "refused: the browser says this request comes from another site");
  if (api && policy.token !== null && !tokenMatches(policy.token, req))
    return new HttpError(
      401,
      "this server needs its token: open the address with ?token=… that `faultline serve` printed",
    );
  return null;
}

/** Headers on every answer: no framing, no referrer (the token may be in the address). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy": "frame-ancestors 'none'",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "cross-origin-resource-policy": "same-origin",
  "cross-origin-opener-policy": "same-origin",
  "x-content-type-options": "nosniff",
};

function hostAllowed(policy: AccessPolicy, host: string): boolean {
  const name = hostName(host);
  if (name === null) return false;
  return policy.hosts.has(name) || (policy.anyAddress && isIP(name) !== 0);
}

function tokenMatches(token: string, req: RequestView): boolean {
  const given = /^Bearer (.+)$/.exec(header(req, "authorization") ?? "")?.[1];
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The host name of a Host header (`[::1]:7420` → `::1`), or null when it is malformed. */
function hostName(host: string): string | null {
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::\d{1,5})?$/i.exec(host.trim());
  return m?.[1] === undefined ? null : bare(m[1].toLowerCase());
}

function normalHost(name: string): string {
  return bare(name.trim().toLowerCase());
}

/** An IPv6 address without its brackets. */
function bare(host: string): string {
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}

function header(req: RequestView, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
