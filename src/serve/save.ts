/**
 * @module serve/save
 * Saving a file without losing anyone's edit. Every file has a version — a digest of its text,
 * sent as the ETag when it is read. A save states the version it was made on (`If-Match`), or
 * that it creates a new file (`If-None-Match: *`); when the file changed since, the save is
 * refused with 409 and the current version, and nothing is written. The check and the write
 * run in one turn of the event loop, so saves to one file are serialised: of fifty saves made
 * on one version, one lands and forty-nine are told so. The write itself is atomic
 * (`fs/write-atomic`): a kill or a full disk leaves the old file whole.
 */
import { createHash } from "node:crypto";
import { writeFileAtomic } from "../fs/write-atomic.js";
import { HttpError } from "./http-error.js";
import type { Project, ProjectFile } from "./project.js";

/** The version of a file's text: 128 bits of its SHA-256, as hex. */
export function versionOf(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex").slice(0, 32);
}

export interface Preconditions {
  /** `If-Match`: the versions (quoted ETags) the save was made on, or `*`: any existing file. */
  readonly ifMatch?: string | undefined;
  /** `If-None-Match: *`: only create the file, never replace one. */
  readonly ifNoneMatch?: string | undefined;
}

/** Writes `text` to `file` when the preconditions hold; returns the new version. */
export function saveFile(
  project: Project,
  file: ProjectFile,
  text: string,
  pre: Preconditions,
): string {
  const current = currentVersion(project, file);
  const stale = (message: string) =>
    new HttpError(409, message, undefined, { path: file.rel, version: current });
  if (pre.ifNoneMatch !== undefined) {
    if (pre.ifNoneMatch.trim() !== "*")
      throw new HttpError(400, "If-None-Match takes only '*' (create a new file)");
    if (current !== null)
      throw stale(`'${file.rel}' already exists: open it to edit it, or save under another name`);
  } else if (pre.ifMatch !== undefined) {
    const wanted = etags(pre.ifMatch);
    if (wanted === null) throw new HttpError(400, `malformed If-Match: ${pre.ifMatch}`);
    if (current === null)
      throw stale(`'${file.rel}' was deleted since you opened it: your edit is not saved`);
    if (wanted !== "*" && !wanted.includes(current))
      throw stale(
        `'${file.rel}' changed on disk since you opened it (saved from another tab or editor): ` +
          "your edit is not saved. Reload the file, or overwrite the other version with yours",
      );
  } else
    throw new HttpError(
      428,
      "a save must say which version it replaces: If-Match with the file's ETag as read, " +
        "or If-None-Match: * to create a new file",
    );
  try {
    writeFileAtomic(file.abs, text);
  } catch (err) {
    throw new HttpError(
      500,
      `could not save '${file.rel}': ${(err as Error).message}; the file on disk is unchanged`,
    );
  }
  return versionOf(text);
}

/** The version of the file on disk, or null when there is none. */
export function currentVersion(project: Project, file: ProjectFile): string | null {
  try {
    return versionOf(project.read(file));
  } catch (err) {
    if (err instanceof HttpError && err.status === 404) return null;
    throw err;
  }
}

/** `"a", W/"b"` → [a, b]; `*` → "*"; null when malformed. */
function etags(header: string): string[] | "*" | null {
  if (header.trim() === "*") return "*";
  const out: string[] = [];
  for (const part of header.split(",")) {
    const m = /^\s*(?:W\/)?"([^"]*)"\s*$/.exec(part);
    if (m?.[1] === undefined) return null;
    out.push(m[1]);
  }
  return out;
}
