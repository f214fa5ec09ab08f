/**
 * @module fs/same-file
 * Whether two paths name one file: the same device and inode, so a symbolic link, a hard link
 * or a path written differently (`./m.yaml`, `dir/../m.yaml`) all count as the file itself.
 */
import { statSync } from "node:fs";

export function isSameFile(a: string, b: string): boolean {
  try {
    const x = statSync(a);
    const y = statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    // One of them does not exist (yet): they cannot be one file.
    return false;
  }
}
