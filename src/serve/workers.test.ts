import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Diagnostic } from "../model/diagnostics.js";
import { HttpError } from "./http-error.js";
import type { Task } from "./tasks.js";
import { Lane } from "./workers.js";

const ROOT = new URL("../..", import.meta.url).pathname;
const project = mkdtempSync(join(tmpdir(), "faultline-lane-"));
cpSync(join(ROOT, "examples"), join(project, "examples"), { recursive: true });

const MODEL = "examples/aws-us-east-1.yaml";
const check = (text: string): Task => ({ kind: "problems", path: MODEL, text, model: MODEL });
const replay: Task = {
  kind: "run",
  model: MODEL,
  scenario: "examples/scenarios/aws-us-east-1-2025.yaml",
  compare: null,
};

const lanes: Lane[] = [];
const lane = (root = project, maxQueued = 4) => {
  const l = new Lane({ root, what: "runs", maxQueued });
  lanes.push(l);
  return l;
};
afterEach(async () => {
  await Promise.all(lanes.splice(0).map((l) => l.close()));
});

const statusOf = (p: Promise<unknown>) =>
  p.then(
    () => 200,
    (e: unknown) => (e instanceof HttpError ? e.status : -1),
  );

describe("a lane", () => {
  it("performs tasks on a worker thread, in order", async () => {
    const l = lane();
    const [bad, run] = await Promise.all([
      l.submit(check("name: x\ncomponents:\n  a: { kind: apy }\n")),
      l.submit(replay),
    ]);
    expect((bad as Diagnostic[]).some((d) => d.suggestion === "api")).toBe(true);
    expect(JSON.parse(run as string).runs[0].label).toBe("aws-us-east-1-2025");
  });

  it("passes a refusal back with its status and problems", async () => {
    const l = lane();
    const err = await l.submit({ ...replay, scenario: "../outside.yaml" }).catch((e) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect(err.status).toBe(403);
  });

  it("refuses work beyond its queue with 503, and keeps working", async () => {
    const l = lane(project, 1);
    const first = l.submit(replay); // running
    const second = l.submit(replay); // waiting
    expect(await statusOf(l.submit(replay))).toBe(503);
    expect(await Promise.all([statusOf(first), statusOf(second)])).toEqual([200, 200]);
  });

  it("drops a waiting task whose client went away", async () => {
    const l = lane();
    const first = l.submit(replay);
    const gone = new AbortController();
    const second = l.submit(replay, gone.signal);
    expect(l.pending).toBe(2);
    gone.abort();
    expect(await statusOf(second)).toBe(499);
    expect(l.pending).toBe(1);
    expect(await statusOf(first)).toBe(200);
  });

  it("fails a task with 500 when its worker dies, and starts another for the next", async () => {
    const l = lane(join(project, "no-such-directory"));
    const err = await l.submit(replay).catch((e) => e);
    expect(err.status).toBe(500);
    expect(err.message).toContain("worker stopped");
    expect(await statusOf(l.submit(replay))).toBe(500);
  });
});
