import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HttpError } from "./http-error.js";
import { openProject } from "./project.js";
import { type Preconditions, saveFile, versionOf } from "./save.js";

function setup(text?: string) {
  const root = mkdtempSync(join(tmpdir(), "faultline-save-"));
  if (text !== undefined) writeFileSync(join(root, "m.yaml"), text);
  const project = openProject(root);
  const file = project.file("m.yaml", "write");
  const save = (body: string, pre: Preconditions) => saveFile(project, file, body, pre);
  const disk = () => readFileSync(join(root, "m.yaml"), "utf8");
  return { save, disk };
}

const refusal = (f: () => unknown): HttpError => {
  try {
    f();
  } catch (err) {
    if (err instanceof HttpError) return err;
    throw err;
  }
  throw new Error("not refused");
};

describe("saveFile", () => {
  it("saves on the version it was made on, and returns the new one", () => {
    const { save, disk } = setup("name: a\n");
    const version = save("name: b\n", { ifMatch: `"${versionOf("name: a\n")}"` });
    expect(disk()).toBe("name: b\n");
    expect(version).toBe(versionOf("name: b\n"));
  });

  it("refuses a save made on a stale version with 409 and the current version", () => {
    const { save, disk } = setup("name: a\n");
    const v1 = versionOf("name: a\n");
    save("name: theirs\n", { ifMatch: `"${v1}"` });
    const r = refusal(() => save("name: mine\n", { ifMatch: `"${v1}"` }));
    expect(r.status).toBe(409);
    expect(r.message).toContain("changed on disk since you opened it");
    expect(r.extra).toEqual({ path: "m.yaml", version: versionOf("name: theirs\n") });
    expect(disk()).toBe("name: theirs\n");
  });

  it("requires a precondition: a blind save could overwrite someone's edit", () => {
    const { save, disk } = setup("name: a\n");
    const r = refusal(() => save("name: b\n", {}));
    expect(r.status).toBe(428);
    expect(r.message).toContain("If-Match");
    expect(disk()).toBe("name: a\n");
  });

  it("creates a file with If-None-Match: *, and never replaces one that way", () => {
    const fresh = setup();
    fresh.save("name: new\n", { ifNoneMatch: "*" });
    expect(fresh.disk()).toBe("name: new\n");
    const r = refusal(() => fresh.save("name: again\n", { ifNoneMatch: "*" }));
    expect(r.status).toBe(409);
    expect(fresh.disk()).toBe("name: new\n");
  });

  it("takes If-Match: * as any existing file, and lists and weak tags", () => {
    const { save, disk } = setup("name: a\n");
    save("name: b\n", { ifMatch: "*" });
    save("name: c\n", { ifMatch: `"0000", W/"${versionOf("name: b\n")}"` });
    expect(disk()).toBe("name: c\n");
    expect(refusal(() => save("x", { ifMatch: "not-quoted" })).status).toBe(400);
  });

  it("says when the file was deleted since it was opened", () => {
    const { save } = setup();
    const r = refusal(() => save("name: b\n", { ifMatch: `"${versionOf("name: a\n")}"` }));
    expect(r.status).toBe(409);
    expect(r.extra).toMatchObject({ version: null });
  });
});
