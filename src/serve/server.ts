/**
 * @module serve/server
 * `faultline serve`: a local web UI over the project directory. It serves the front end's UI
 * page (the report view beside an editor) and a small JSON API:
 *
 *   GET  /api/files                      models and scenarios under the root
 *   GET  /api/file?path=P                a file's text and version (also its ETag)
 *   PUT  /api/file?path=P[&model=M]      save a file (body: the text; If-Match: the version it
 *                                        was made on); returns the new version and its problems
 *   POST /api/validate {path,text,model} problems of unsaved text
 *   POST /api/run {model,scenario,compare} the report data: audit, and simulations
 *
 * Every request passes `serve/guard` first (Host, Origin, token); paths pass `serve/project`
 * (confined to the root, symbolic links resolved); saves go through `serve/save` (versions,
 * atomic writes). Validation, audits and simulations run on worker threads (`serve/workers`),
 * so the server answers while they run. Connections, request bodies and waiting work are
 * bounded. Every bad request gets a 4xx with a message; nothing a client sends can stop it.
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { templatePath } from "../reports/report-html.js";
import { accessPolicy, refusal, SECURITY_HEADERS } from "./guard.js";
import { HttpError } from "./http-error.js";
import { openProject } from "./project.js";
import { saveFile, versionOf } from "./save.js";
import { looksLikeModel, looksLikeScenario } from "./tasks.js";
import { Lane } from "./workers.js";

/** Largest request body accepted: a model file of a few thousand components fits well. */
export const MAX_BODY = 2 * 1024 * 1024;
/**
 * Open connections at once; with MAX_BODY, this bounds the memory requests can hold (128 MiB).
 * Connections beyond it are closed at once.
 */
export const MAX_CONNECTIONS = 64;
/** Tasks that may wait in each lane behind the running one. */
export const MAX_QUEUED = 8;

export interface ServeOptions {
  /** The project directory: the only files the UI can read or write. */
  readonly root: string;
  /** A model to open first (relative to the root). */
  readonly model?: string;
  /** The address the server listens on, for the Host check (default 127.0.0.1). */
  readonly host?: string;
  /** More host names the server answers to. */
  readonly allowHosts?: readonly string[];
  /** A token every API request must carry (`Authorization: Bearer …`); none by default. */
  readonly token?: string | null;
  readonly maxConnections?: number;
  readonly maxQueued?: number;
}

export function createFaultlineServer(options: ServeOptions): Server {
  const project = openProject(options.root);
  const page = readFileSync(templatePath("serve.html"), "utf8");
  const policy = accessPolicy({
    host: options.host ?? "127.0.0.1",
    allowHosts: options.allowHosts ?? [],
    token: options.token ?? null,
  });
  const maxQueued = options.maxQueued ?? MAX_QUEUED;
  const checks = new Lane({ root: project.root, what: "checks", maxQueued });
  const runs = new Lane({ root: project.root, what: "runs", maxQueued });

  /** The model to open first, unless it is gone since the start: then the page picks one. */
  const initialModel = (path: string): string | null => {
    try {
      return project.file(path, "read").rel;
    } catch {
      return null;
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const refused = refusal(policy, {
      method: req.method ?? "GET",
      path: url.pathname,
      headers: req.headers,
    });
    if (refused !== null) throw refused;
    // A task still waiting when its client leaves is dropped.
    const left = new AbortController();
    res.once("close", () => {
      if (!res.writableFinished) left.abort();
    });
    const route = `${req.method} ${url.pathname}`;
    switch (route) {
      case "GET /":
      case "GET /index.html":
        return send(res, 200, page, "text/html; charset=utf-8");
      case "GET /api/files": {
        const models: string[] = [];
        const scenarios: string[] = [];
        for (const f of project.list()) {
          let text: string;
          try {
            text = project.read(project.file(f, "read"));
          } catch {
            continue; // gone or changed into something else since the listing
          }
          (looksLikeScenario(text) ? scenarios : looksLikeModel(text) ? models : []).push(f);
        }
        const initial = options.model !== undefined ? initialModel(options.model) : null;
        return json(res, 200, {
          root: "project directory",
          models,
          scenarios,
          initial: { model: initial },
        });
      }
      case "GET /api/file": {
        const file = project.file(url.searchParams.get("path"), "read");
        const text = project.read(file);
        const version = versionOf(text);
        return json(res, 200, { path: file.rel, text, version }, { etag: `"${version}"` });
      }
      case "PUT /api/file": {
        const file = project.file(url.searchParams.get("path"), "write");
        const text = await body(req);
        const version = saveFile(project, file, text, {
          ifMatch: header(req, "if-match"),
          ifNoneMatch: header(req, "if-none-match"),
        });
        const saved = { path: file.rel, saved: true, version };
        try {
          const diagnostics = await checks.submit(
            { kind: "problems", path: file.rel, text, model: url.searchParams.get("model") },
            left.signal,
          );
          return json(res, 200, { ...saved, diagnostics }, { etag: `"${version}"` });
        } catch (err) {
          // Saved all the same: say so, and why it was not checked.
          const why = err instanceof HttpError ? err.message : String(err);
          return json(res, 200, { ...saved, diagnostics: [], unchecked: why });
        }
      }
      case "POST /api/validate": {
        const b = parseJson(await body(req));
        if (typeof b.text !== "string") throw new HttpError(400, "text must be a string");
        project.file(b.path, "write");
        const diagnostics = await checks.submit(
          { kind: "problems", path: b.path as string, text: b.text, model: b.model },
          left.signal,
        );
        return json(res, 200, { diagnostics });
      }
      case "POST /api/run": {
        const b = parseJson(await body(req));
        const report = await runs.submit(
          { kind: "run", model: b.model, scenario: b.scenario, compare: b.compare },
          left.signal,
        );
        return send(res, 200, report as string, "application/json; charset=utf-8");
      }
      default:
        if (url.pathname.startsWith("/api/") || req.method !== "GET")
          throw new HttpError(req.method === "GET" ? 404 : 405, `no route ${route}`);
        throw new HttpError(404, `no page ${url.pathname}`);
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (err instanceof HttpError)
        return json(
          res,
          err.status,
          {
            error: err.message,
            ...(err.diagnostics !== undefined && { diagnostics: err.diagnostics }),
            ...err.extra,
          },
          err.status === 503 ? { "retry-after": "1" } : {},
        );
      // Anything else is a fault of the server, reported without taking it down.
      return json(res, 500, { error: `internal error: ${(err as Error).message}` });
    });
  });
  // NOTE: connections already open (the page's, kept alive) keep working when a flood of new
  // ones arrives: it is the new ones that are turned away.
  server.maxConnections = options.maxConnections ?? MAX_CONNECTIONS;
  // A client that sends its request slowly holds a connection for a bounded time only.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.on("close", () => {
    void checks.close();
    void runs.close();
  });
  return server;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((ok, fail) => {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > MAX_BODY) {
      fail(new HttpError(413, `request body over ${MAX_BODY} bytes`));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (over) return;
      if (size > MAX_BODY) {
        // The rest is read and dropped, so the answer still reaches the client.
        over = true;
        chunks.length = 0;
        fail(new HttpError(413, `request body over ${MAX_BODY} bytes`));
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => {
      if (!over) ok(Buffer.concat(chunks).toString("utf8"));
    });
    req.on("error", fail);
  });
}

function parseJson(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new HttpError(400, `the body is not JSON: ${(e as Error).message}`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new HttpError(400, "the body must be a JSON object");
  return value as Record<string, unknown>;
}

function send(
  res: ServerResponse,
  status: number,
  text: string,
  type: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  if (res.headersSent || res.destroyed) {
    res.end();
    return;
  }
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    ...headers,
    "content-type": type,
    "cache-control": "no-store",
  });
  res.end(text);
}

function json(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  send(res, status, JSON.stringify(value), "application/json; charset=utf-8", headers);
}
