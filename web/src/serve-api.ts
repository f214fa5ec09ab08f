/**
 * The web UI's client of `faultline serve`'s API. It carries the token the server printed when
 * it listens beyond loopback (taken out of the page's address once, so it is not bookmarked or
 * shared by accident, and kept for the tab), and turns refusals into errors that say what to do.
 * The browser adds the page's Origin to every save and run, which the server checks.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: Readonly<Record<string, unknown>>,
  ) {
    super(message);
  }
}

export type Api = <T>(
  method: string,
  path: string,
  options?: {
    readonly body?: unknown;
    readonly headers?: Readonly<Record<string, string>>;
    readonly signal?: AbortSignal;
  },
) => Promise<T>;

const TOKEN_KEY = "faultline-token";

/** The token from `?token=` (then removed from the address bar), or the one kept for this tab. */
export function takeToken(): string | null {
  const url = new URL(window.location.href);
  const given = url.searchParams.get("token");
  let kept: string | null = given;
  try {
    if (given !== null) sessionStorage.setItem(TOKEN_KEY, given);
    else kept = sessionStorage.getItem(TOKEN_KEY);
  } catch {
    // Storage disabled: the token lives as long as the page.
  }
  if (given !== null) {
    url.searchParams.delete("token");
    history.replaceState(null, "", `${url.pathname}${url.search}${url.hash}`);
  }
  return kept;
}

export function createApi(token: string | null): Api {
  return async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (token !== null) headers.authorization = `Bearer ${token}`;
    const init: RequestInit = { method, headers };
    if (options.body !== undefined) {
      const text = typeof options.body === "string";
      init.body = text ? (options.body as string) : JSON.stringify(options.body);
      headers["content-type"] = text ? "text/plain; charset=utf-8" : "application/json";
    }
    if (options.signal !== undefined) init.signal = options.signal;
    const res = await fetch(path, init);
    let body: Record<string, unknown>;
    try {
      body = (await res.json()) as Record<string, unknown>;
    } catch {
      body = {};
    }
    if (!res.ok) throw new ApiError(res.status, explain(res.status, body), body);
    return body as never;
  };
}

function explain(status: number, body: Readonly<Record<string, unknown>>): string {
  const said = typeof body.error === "string" ? body.error : null;
  if (status === 401)
    return "This server needs its token: open the address `faultline serve` printed (the one with ?token=…).";
  return said ?? `the server answered ${status}`;
}
