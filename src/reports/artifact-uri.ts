/**
 * @module reports/artifact-uri
 * Model file paths as SARIF artifact URIs. GitHub code scanning matches results to files by a
 * URI relative to the repository root (`%SRCROOT%`), so paths under the base directory become
 * relative, percent-encoded URIs; anything else becomes an absolute `file:` URI. Pure string
 * work on forward-slash paths — no file system and no working directory — so the same report
 * gives the same SARIF on every machine, Windows paths included.
 */

/** The `uriBaseId` of relative artifact URIs: the root of the analysed sources. */
export const SRCROOT = "%SRCROOT%";

/**
 * A model file as a SARIF artifact URI: relative to `baseDir` under `%SRCROOT%` when it lies
 * beneath it, an absolute `file:` URI when it is absolute, and otherwise relative as written.
 */
export function artifactUri(file: string, baseDir?: string): { uri: string; uriBaseId?: string } {
  const path = normalize(slashes(file));
  if (baseDir !== undefined) {
    const rel = relativeTo(path, normalize(slashes(baseDir)));
    if (rel !== undefined) return { uri: encodePath(rel), uriBaseId: SRCROOT };
  }
  if (isAbsolute(path))
    return { uri: `file://${path.startsWith("/") ? "" : "/"}${encodePath(path)}` };
  return { uri: encodePath(path), uriBaseId: SRCROOT };
}

function slashes(path: string): string {
  return path.replace(/\\/g, "/");
}

function isAbsolute(path: string): boolean {
  return path.startsWith("/") || /^[A-Za-z]:\//.test(path);
}

/** Resolves `.` and `..` segments and repeated slashes, keeping a leading `/` or drive. */
function normalize(path: string): string {
  const out: string[] = [];
  for (const seg of path.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === ".." && out.length > 0 && out[out.length - 1] !== "..") out.pop();
    else out.push(seg);
  }
  return (path.startsWith("/") ? "/" : "") + out.join("/");
}

/** `path` relative to `base` when `path` lies beneath it; both normalized. */
function relativeTo(path: string, base: string): string | undefined {
  if (isAbsolute(path) !== isAbsolute(base)) return undefined;
  if (base === "") return path === ".." || path.startsWith("../") ? undefined : path;
  const prefix = base.endsWith("/") ? base : `${base}/`;
  return path.startsWith(prefix) && path.length > prefix.length
    ? path.slice(prefix.length)
    : undefined;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Percent-encodes each segment, so spaces, `#` and `?` in file names stay part of the path; a
 * drive letter stays as it is. Lone surrogates, which `encodeURIComponent` rejects, become
 * U+FFFD first.
 */
function encodePath(path: string): string {
  return path
    .replace(LONE_SURROGATE, "\uFFFD")
    .split("/")
    .map((seg, i) => (i === 0 && /^[A-Za-z]:$/.test(seg) ? seg : encodeURIComponent(seg)))
    .join("/");
}
