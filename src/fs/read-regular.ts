/**
 * @module fs/read-regular
 * Reads a file only when it is a regular file. The file is opened without blocking and checked
 * on the open descriptor: a FIFO or a device named `x.yaml` is refused at once instead of
 * waiting forever for a writer (which would stall the process's event loop), and a file
 * swapped for something else between a check and the read cannot slip through.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync } from "node:fs";

export class NotRegularFileError extends Error {
  readonly code = "ENOTREG";
  constructor(readonly path: string) {
    super(`'${path}' is not a regular file`);
    this.name = "NotRegularFileError";
  }
}

/** The text of `path`; throws NotRegularFileError for anything but a regular file. */
export function readRegularFile(path: string): string {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    if (!fstatSync(fd).isFile()) throw new NotRegularFileError(path);
    return readFileSync(fd, "utf8");
  } finally {
    closeSync(fd);
  }
}
