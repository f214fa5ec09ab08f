/**
 * @module serve/project
 * The project directory `faultline serve` works in, and the only files it may touch: YAML files
 * under the root, outside hidden and generated directories. Every path a client names — and
 * every `include:` of a model read through the server — is checked twice: as written (no `..`,
 * not absolute), then with its symbolic links resolved (realpath), so a link cannot lead out of
 * the root or into a hidden directory, and a dangling link cannot create a file elsewhere.
 * Only regular files are read, opened without blocking: a FIFO named `x.yaml` is refused, not
 * waited on. The directory walk follows links that stay inside and visits each real directory
 * once, so a link loop ends.
 */
import { type Dirent, lstatSync, readdirSync, realpathSync, type Stats, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { NotRegularFileError, readRegularFile } from "../fs/read-regular.js";
import type { ReadFile } from "../model/load.js";
import { HttpError } from "./http-error.js";

/** Directories never listed nor served: dependencies, builds, version control. */
const SKIP_DIRS = new Set(["node_modules", ".git", "dist", "coverage", "test-artifacts"]);
/** The most files listed, so a huge tree cannot stall the page. */
export const MAX_LISTED = 2000;
const YAML = /\.ya?ml$/i;

/** A checked file: its real path, and the path the client used (relative, with `/`). */
export interface ProjectFile {
  readonly abs: string;
  readonly rel: string;
}

export interface Project {
  readonly root: string;
  /** `path` as a YAML file of the project, or an HttpError (400, 403, 404) saying why not. */
  file(path: unknown, use: "read" | "write"): ProjectFile;
  /** The text of a checked file (a regular file only). */
  read(file: ProjectFile): string;
  /** The YAML files of the project, sorted, at most MAX_LISTED. */
  list(): string[];
  /** A model reader confined to the project; `override` is unsaved text of one file. */
  reader(override?: { readonly rel: string; readonly text: string }): ReadFile;
}

export function openProject(dir: string): Project {
  const root = realpathSync(resolve(dir));

  /** The part of `abs` under the root, or null when it lies outside. */
  const under = (abs: string): string | null => {
    const rel = relative(root, abs);
    return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? null : rel;
  };
  const hidden = (rel: string) =>
    rel.split(sep).some((part) => part.startsWith(".") || SKIP_DIRS.has(part));

  const file = (path: unknown, use: "read" | "write"): ProjectFile => {
    if (typeof path !== "string" || path === "") throw new HttpError(400, "a path is required");
    const outside = () => new HttpError(403, `'${path}' is outside the project directory`);
    if (isAbsolute(path) || path.includes("\0")) throw outside();
    const rel = under(resolve(root, path));
    if (rel === null) throw outside();
    if (!YAML.test(rel)) throw new HttpError(400, `'${path}' is not a YAML file`);
    // Hidden files, dependencies and builds are not the project's models, and not for editing.
    if (hidden(rel)) throw new HttpError(403, `'${path}' is in a hidden or generated directory`);
    const real = realPath(path, join(root, rel), use);
    const realRel = under(real);
    if (realRel === null) throw new HttpError(403, `'${path}' leads outside the project directory`);
    if (hidden(realRel) || !YAML.test(realRel))
      throw new HttpError(403, `'${path}' leads to a file that is not a project YAML file`);
    return { abs: real, rel: rel.split(sep).join("/") };
  };

  /** Where `abs` really is; for a new file, the real directory it goes in. */
  const realPath = (path: string, abs: string, use: "read" | "write"): string => {
    let link: Stats;
    try {
      link = lstatSync(abs);
    } catch {
      if (use === "read") throw new HttpError(404, `no file '${path}'`);
      let dir: string;
      try {
        dir = realpathSync(dirname(abs));
      } catch {
        throw new HttpError(404, `no directory for '${path}'`);
      }
      return join(dir, basename(abs));
    }
    let real: string;
    try {
      real = realpathSync(abs);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ELOOP") throw new HttpError(400, `'${path}' is a loop of symbolic links`);
      // A dangling link: writing through it would create its target, wherever that is.
      throw new HttpError(
        use === "read" ? 404 : 403,
        `'${path}' is a symbolic link to a file that does not exist`,
      );
    }
    const st = link.isSymbolicLink() ? statSync(real) : link;
    if (!st.isFile()) throw new HttpError(400, `'${path}' is not a regular file`);
    return real;
  };

  const read = (f: ProjectFile): string => {
    try {
      return readRegularFile(f.abs);
    } catch (err) {
      if (err instanceof NotRegularFileError)
        throw new HttpError(400, `'${f.rel}' is not a regular file`);
      if ((err as NodeJS.ErrnoException).code === "ENOENT")
        throw new HttpError(404, `no file '${f.rel}'`);
      throw err;
    }
  };

  const list = (): string[] => {
    const out: string[] = [];
    const seen = new Set<string>([root]);
    // Linked directories are walked after the real tree, so a file is listed under its own
    // directory's name rather than a link's.
    const linked: { real: string; shown: string }[] = [];
    const walk = (dir: string, prefix: string) => {
      let entries: Dirent[];
      try {
        entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
          a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
        );
      } catch {
        return;
      }
      for (const entry of entries) {
        if (out.length >= MAX_LISTED) return;
        const name = entry.name;
        if (name.startsWith(".") || SKIP_DIRS.has(name)) continue;
        const shown = prefix === "" ? name : `${prefix}/${name}`;
        let real: string;
        let st: Stats;
        try {
          real = realpathSync(join(dir, name));
          st = statSync(real);
        } catch {
          continue; // dangling link, link loop, or gone meanwhile
        }
        const realRel = under(real);
        if (realRel === null || hidden(realRel)) continue;
        if (st.isDirectory()) {
          if (entry.isSymbolicLink()) linked.push({ real, shown });
          else if (!seen.has(real)) {
            seen.add(real);
            walk(real, shown);
          }
        } else if (st.isFile() && YAML.test(name) && YAML.test(real)) out.push(shown);
      }
    };
    walk(root, "");
    for (let i = 0; i < linked.length; i++) {
      const { real, shown } = linked[i] as { real: string; shown: string };
      if (seen.has(real)) continue;
      seen.add(real);
      walk(real, shown);
    }
    return out;
  };

  const reader =
    (override?: { readonly rel: string; readonly text: string }): ReadFile =>
    (path) => {
      if (override !== undefined && path === override.rel) return override.text;
      let f: ProjectFile;
      try {
        f = file(path, "read");
      } catch (err) {
        // A missing include is the model's problem, reported at its line by the loader.
        if (err instanceof HttpError && err.status === 404) return undefined;
        if (err instanceof HttpError)
          throw new HttpError(err.status, `cannot include: ${err.message}`);
        throw err;
      }
      return read(f);
    };

  return { root, file, read, list, reader };
}
