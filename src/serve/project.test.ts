import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseModel } from "../model/load.js";
import { HttpError } from "./http-error.js";
import { openProject, type Project } from "./project.js";

/**
 * A project with traps beside it: a secret directory outside the root, links into it, a
 * dangling link, a link loop, a FIFO and a link to a hidden file.
 */
let outside: string;
let project: Project;

beforeAll(() => {
  const base = mkdtempSync(join(tmpdir(), "faultline-project-"));
  outside = join(base, "outside");
  const root = join(base, "root");
  mkdirSync(outside);
  mkdirSync(join(root, "models"), { recursive: true });
  mkdirSync(join(root, ".secrets"));
  writeFileSync(join(outside, "secret.yaml"), "password: hunter2\n");
  writeFileSync(join(root, ".secrets", "keys.yaml"), "key: abc\n");
  writeFileSync(join(root, "notes.txt"), "notes\n");
  writeFileSync(
    join(root, "models", "m.yaml"),
    "name: m\ncomponents:\n  a: { kind: api, placement: global }\n",
  );
  symlinkSync(outside, join(root, "linked-out")); // a directory link out of the root
  symlinkSync(join(root, "models"), join(root, "linked-in")); // a directory link inside
  symlinkSync(join(outside, "nothing.yaml"), join(root, "dangling.yaml"));
  symlinkSync("loop-b.yaml", join(root, "loop-a.yaml"));
  symlinkSync("loop-a.yaml", join(root, "loop-b.yaml"));
  symlinkSync("..", join(root, "models", "up")); // a directory loop
  symlinkSync(join(root, ".secrets", "keys.yaml"), join(root, "keys.yaml"));
  symlinkSync(join(root, "notes.txt"), join(root, "notes.yaml"));
  execFileSync("mkfifo", [join(root, "fifo.yaml")]);
  project = openProject(root);
});

const refusedWith = (f: () => unknown): number => {
  try {
    f();
  } catch (err) {
    if (err instanceof HttpError) return err.status;
    throw err;
  }
  return 200;
};

describe("a project's files", () => {
  it("are found through links that stay inside", () => {
    const f = project.file("linked-in/m.yaml", "read");
    expect(f.rel).toBe("linked-in/m.yaml");
    expect(project.read(f)).toContain("name: m");
  });

  it("never lead out of the root through a linked directory", () => {
    expect(refusedWith(() => project.file("linked-out/secret.yaml", "read"))).toBe(403);
    expect(refusedWith(() => project.file("linked-out/new.yaml", "write"))).toBe(403);
  });

  it("refuse writing through a dangling link, which would create a file outside", () => {
    expect(refusedWith(() => project.file("dangling.yaml", "write"))).toBe(403);
    expect(existsSync(join(outside, "nothing.yaml"))).toBe(false);
  });

  it("refuse links into hidden directories and to files that are not YAML", () => {
    expect(refusedWith(() => project.file("keys.yaml", "read"))).toBe(403);
    expect(refusedWith(() => project.file("notes.yaml", "read"))).toBe(403);
  });

  it("refuse a link loop and a FIFO, without blocking", () => {
    expect(refusedWith(() => project.file("loop-a.yaml", "read"))).toBe(400);
    expect(refusedWith(() => project.file("fifo.yaml", "read"))).toBe(400);
    expect(refusedWith(() => project.file("fifo.yaml", "write"))).toBe(400);
  });
});

describe("the listing", () => {
  it("lists YAML files once per real directory, skipping loops, FIFOs and links out", () => {
    // `linked-in` and `models` are one directory: listed once, under its own name.
    expect(project.list()).toEqual(["models/m.yaml"]);
  });
});

describe("includes read through the project", () => {
  it("cannot reach outside through a linked directory", () => {
    const text = "name: x\ninclude: [linked-out/secret.yaml]\n";
    const reader = project.reader({ rel: "x.yaml", text });
    let error: unknown;
    try {
      parseModel("x.yaml", reader);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).message).toContain("cannot include: ");
    expect((error as HttpError).message).not.toContain("hunter2");
  });

  it("cannot open a FIFO", () => {
    const reader = project.reader({ rel: "x.yaml", text: "name: x\ninclude: [fifo.yaml]\n" });
    expect(() => parseModel("x.yaml", reader)).toThrow(/not a regular file/);
  });

  it("leave a missing include to the model's own located problem", () => {
    const reader = project.reader({ rel: "x.yaml", text: "name: x\ninclude: [gone.yaml]\n" });
    const r = parseModel("x.yaml", reader);
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]).toMatchObject({ code: "missing-file", line: 2 });
  });
});
