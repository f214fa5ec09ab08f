/**
 * @module fs/write-atomic
 * Replaces a file's content all at once. The text goes to a temporary file beside the target,
 * is flushed to disk, and is renamed over the target: rename(2) within one directory is atomic
 * on POSIX file systems, so a reader, a crash or a kill sees the old file or the new one, never
 * an empty or half-written mix. A write that fails part-way (a full disk) leaves the old file
 * as it was.
 *
 * A symbolic link is written through (the file it points to is replaced and the link stays). A
 * target that is not a regular file — a terminal, `/dev/null`, a FIFO — cannot be replaced and
 * is written directly: there is nothing to keep intact.
 *
 * The text may come in pieces (any iterable of strings, such as a generator that makes each piece
 * when it is asked for), written one after the other as if joined: a report of hundreds of
 * megabytes is then never one string nor one buffer.
 */
import { randomBytes } from "node:crypto";
import {
  closeSync,
  constants,
  fchmodSync,
  fsyncSync,
  lstatSync,
  openSync,
  readlinkSync,
  renameSync,
  type Stats,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

/** Links followed at most, as the kernel does (ELOOP beyond). */
const MAX_LINKS = 40;

export function writeFileAtomic(path: string, data: string | Uint8Array | Iterable<string>): void {
  const target = followLinks(path);
  const existing = statOrNull(target);
  if (existing?.isDirectory())
    throw Object.assign(new Error(`'${path}' is a directory`), { code: "EISDIR" });
  const whole = typeof data === "string" || data instanceof Uint8Array;
  const pieces: Iterable<string | Uint8Array> = whole ? [data] : data;
  if (existing !== null && !existing.isFile()) {
    if (whole) writeFileSync(target, toBytes(data));
    else {
      const fd = openSync(target, "w");
      try {
        for (const piece of pieces) writeAll(fd, toBytes(piece));
      } finally {
        closeSync(fd);
      }
    }
    return;
  }
  const dir = dirname(target);
  const temp = join(dir, `.${basename(target)}.${randomBytes(6).toString("hex")}.tmp`);
  const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o666);
  let renamed = false;
  try {
    // The replacement keeps the permissions of the file it replaces.
    if (existing !== null) fchmodSync(fd, existing.mode & 0o7777);
    for (const piece of pieces) writeAll(fd, toBytes(piece));
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temp, target);
    renamed = true;
  } finally {
    if (!renamed) {
      try {
        closeSync(fd);
      } catch {
        // Already closed: the failure came after close.
      }
      try {
        unlinkSync(temp);
      } catch {
        // Nothing to clean up.
      }
    }
  }
  syncDirectory(dir);
}

function toBytes(piece: string | Uint8Array): Uint8Array {
  return typeof piece === "string" ? Buffer.from(piece, "utf8") : piece;
}

/** Writes all of `bytes`, however short the writes the system makes. */
function writeAll(fd: number, bytes: Uint8Array): void {
  for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
}

/** The path a write to `path` lands on: symbolic links followed, even dangling ones. */
function followLinks(path: string): string {
  let current = resolve(path);
  for (let hops = 0; hops < MAX_LINKS; hops++) {
    let isLink: boolean;
    try {
      isLink = lstatSync(current).isSymbolicLink();
    } catch {
      return current;
    }
    if (!isLink) return current;
    current = resolve(dirname(current), readlinkSync(current));
  }
  throw Object.assign(new Error(`'${path}': too many levels of symbolic links`), {
    code: "ELOOP",
  });
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/** Flushes the rename itself to disk; some platforms cannot open a directory, which is fine. */
function syncDirectory(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, constants.O_RDONLY);
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch {
    // Not supported here: the rename is done, only its durability across a power cut is not.
  } finally {
    closeSync(fd);
  }
}
