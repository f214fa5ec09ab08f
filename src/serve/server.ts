/**
 * @module serve/server
 * `faultline serve`: a local web UI over the project directory. It serves the front end's UI
 * page (the report view beside an editor) and a small JSON API:
 *
 *   GET  /api/files                     models and scenarios under the root
 *   GET  /api/file?path=P               a file's text
 *   PUT  /api/file?path=P[&model=M]     save a file (body: the text); returns its problems
 *   POST /api/validate {path,text,model} problems of unsaved text
 *   POST /api/run {model,scenario,compare} the report data: audit, and simulations
 *
 * Paths are relative to the root; anything that resolves outside it (`..`, absolute paths,
 * symbolic links out) is refused. Request bodies are limited in size. Every bad request gets a
 * 4xx with a message; nothing a client sends can stop the server.
 */
import { readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { type Diagnostic, ModelError, sortDiagnostics } from "../model/diagnostics.js";
import { diskReader, parseModel } from "../model/load.js";
import type { Model } from "../model/types.js";
import { buildReport, templatePath } from "../reports/report-html.js";
import { parseScenario } from "../scenario/load.js";

/** Largest request body accepted: a model file of a few thousand components fits well. */
export const MAX_BODY = 2 * 1024 * 1024;
/** Directories never listed: dependencies, builds, version control. */
const SKIP_DIRS = new Set(["node_modules", ".git", "dist", "coverage", "test-artifacts"]);
/** The most files listed, so a huge tree cannot stall the page. */
const MAX_LISTED = 2000;

export interface ServeOptions {
  /** The project directory: the only files the UI can read or write. */
  readonly root: string;
  /** A model to open first (relative to the root). */
  readonly model?: string;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly diagnostics?: readonly Diagnostic[],
  ) {
    super(message);
  }
}

export function createFaultlineServer(options: ServeOptions): Server {
  const root = realpathSync(resolve(options.root));
  const page = readFileSync(templatePath("serve.html"), "utf8");

  /** `path` as a file inside the root, or a 403 / 400. */
  const inside = (path: unknown, mustExist: boolean): { abs: string; rel: string } => {
    if (typeof path !== "string" || path === "") throw new HttpError(400, "a path is required");
    if (isAbsolute(path) || path.includes("\0"))
      throw new HttpError(403, `'${path}' is outside the project directory`);
    const abs = resolve(root, path);
    const rel = relative(root, abs);
    if (rel === "" || rel.startsWith("..") || isAbsolute(rel))
      throw new HttpError(403, `'${path}' is outside the project directory`);
    if (!/\.ya?ml$/i.test(abs)) throw new HttpError(400, `'${path}' is not a YAML file`);
    // Hidden files, dependencies and builds are not the project's models, and not for editing.
    if (rel.split(sep).some((part) => part.startsWith(".") || SKIP_DIRS.has(part)))
      throw new HttpError(403, `'${path}' is in a hidden or generated directory`);
    let real = abs;
    try {
      real = realpathSync(abs);
    } catch {
      if (mustExist) throw new HttpError(404, `no file '${path}'`);
      // A new file: its directory must exist, inside.
      try {
        real = join(realpathSync(resolve(abs, "..")), rel.split(sep).at(-1) as string);
      } catch {
        throw new HttpError(404, `no directory for '${path}'`);
      }
    }
    const realRel = relative(root, real);
    if (realRel.startsWith("..") || isAbsolute(realRel))
      throw new HttpError(403, `'${path}' leads outside the project directory`);
    return { abs: real, rel: rel.split(sep).join("/") };
  };

  /** Reads model files from disk, except `override` (unsaved text in the editor). */
  const readerWith = (override?: { rel: string; text: string }) => {
    const disk = diskReader(root);
    return (p: string) => {
      if (override !== undefined && p === override.rel) return override.text;
      // Includes are followed inside the project directory only.
      const rel = relative(root, resolve(root, p));
      return rel.startsWith("..") || isAbsolute(rel) ? undefined : disk(p);
    };
  };

  const modelAt = (rel: string, override?: { rel: string; text: string }) =>
    parseModel(rel, readerWith(override));

  const loadedModel = (path: unknown): Model => {
    const { rel } = inside(path, true);
    const r = modelAt(rel);
    if (!r.ok)
      throw new HttpError(
        422,
        `the model ${rel} has ${r.diagnostics.length} problem(s)`,
        r.diagnostics,
      );
    return r.model;
  };

  /** The problems of `text` as file `rel`: as a scenario if it looks like one, else as a model. */
  const problems = (rel: string, text: string, model: unknown): readonly Diagnostic[] => {
    if (looksLikeScenario(text)) {
      if (typeof model !== "string" || model === "")
        return [problem(rel, "choose a model: a scenario is checked against the model it runs on")];
      const m = modelAt(inside(model, true).rel);
      if (!m.ok)
        return [problem(rel, `the model ${model} has problems of its own; fix them first`)];
      return parseScenario(rel, text, m.model).diagnostics;
    }
    // A file the chosen model includes is checked through that model, with the edit applied;
    // any other file as a model of its own.
    const chosen = typeof model === "string" && model !== "" ? inside(model, true).rel : null;
    if (chosen !== null && chosen !== rel) {
      const r = modelAt(chosen, { rel, text });
      const touches = r.ok
        ? r.model.files.includes(rel)
        : r.diagnostics.some((d) => d.file === rel);
      if (touches) return sortDiagnostics(r.diagnostics);
    }
    return sortDiagnostics(modelAt(rel, { rel, text }).diagnostics);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const route = `${req.method} ${url.pathname}`;
    switch (route) {
      case "GET /":
      case "GET /index.html":
        return send(res, 200, page, "text/html; charset=utf-8");
      case "GET /api/files": {
        const files = listYaml(root);
        const models: string[] = [];
        const scenarios: string[] = [];
        for (const f of files) {
          const text = readFileSync(join(root, f), "utf8");
          (looksLikeScenario(text) ? scenarios : looksLikeModel(text) ? models : []).push(f);
        }
        const initial = options.model !== undefined ? inside(options.model, true).rel : null;
        return json(res, 200, {
          root: "project directory",
          models,
          scenarios,
          initial: { model: initial },
        });
      }
      case "GET /api/file": {
        const { abs, rel } = inside(url.searchParams.get("path"), true);
        return json(res, 200, { path: rel, text: readFileSync(abs, "utf8") });
      }
      case "PUT /api/file": {
        const { abs, rel } = inside(url.searchParams.get("path"), false);
        const text = await body(req);
        writeFileSync(abs, text);
        return json(res, 200, {
          path: rel,
          saved: true,
          diagnostics: problems(rel, text, url.searchParams.get("model")),
        });
      }
      case "POST /api/validate": {
        const b = parseJson(await body(req));
        const { rel } = inside(b.path, false);
        if (typeof b.text !== "string") throw new HttpError(400, "text must be a string");
        return json(res, 200, { diagnostics: problems(rel, b.text, b.model) });
      }
      case "POST /api/run": {
        const b = parseJson(await body(req));
        const model = loadedModel(b.model);
        const files = [b.scenario, b.compare].filter(
          (f) => f !== null && f !== undefined && f !== "",
        );
        const runs = files.map((f) => {
          const { rel } = inside(f, true);
          const text = readFileSync(join(root, rel), "utf8");
          const s = parseScenario(rel, text, model);
          if (!s.ok)
            throw new HttpError(
              422,
              `the scenario ${rel} has ${s.diagnostics.length} problem(s)`,
              s.diagnostics,
            );
          return { scenario: s.scenario };
        });
        return json(res, 200, buildReport(model, runs));
      }
      default:
        if (url.pathname.startsWith("/api/") || req.method !== "GET")
          throw new HttpError(req.method === "GET" ? 404 : 405, `no route ${route}`);
        throw new HttpError(404, `no page ${url.pathname}`);
    }
  };

  return createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (err instanceof HttpError)
        return json(res, err.status, {
          error: err.message,
          ...(err.diagnostics !== undefined && { diagnostics: err.diagnostics }),
        });
      if (err instanceof ModelError)
        return json(res, 422, { error: err.message, diagnostics: err.diagnostics });
      // Anything else is a fault of the server, reported without taking it down.
      return json(res, 500, { error: `internal error: ${(err as Error).message}` });
    });
  });
}

function problem(file: string, message: string): Diagnostic {
  return { code: "invalid-value", severity: "error", message, file, line: 1, column: 1, path: "" };
}

/** A scenario has faults; a model has components (both top-level keys). */
export function looksLikeScenario(text: string): boolean {
  return /^faults\s*:/m.test(text);
}

function looksLikeModel(text: string): boolean {
  return /^(components|include|domains)\s*:/m.test(text);
}

function listYaml(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of entries) {
      if (out.length >= MAX_LISTED) return;
      if (name.startsWith(".") || SKIP_DIRS.has(name)) continue;
      const abs = join(dir, name);
      let st: ReturnType<typeof statSync>;
      try {
        st = statSync(abs);
      } catch {
        continue;
      }
      if (st.isDirectory()) walk(abs);
      else if (/\.ya?ml$/i.test(name)) out.push(relative(root, abs).split(sep).join("/"));
    }
  };
  walk(root);
  return out;
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

function send(res: ServerResponse, status: number, text: string, type: string): void {
  res.writeHead(status, {
    "content-type": type,
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
  });
  res.end(text);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  send(res, status, JSON.stringify(value), "application/json; charset=utf-8");
}
