/**
 * `faultline serve`'s API on 127.0.0.1: it reads and writes YAML inside its project directory
 * only, validates unsaved text with located problems, runs the audit and simulations, limits
 * request bodies, and answers every bad request with a 4xx and a message — and keeps serving.
 * The UI in a browser is in serve.browser.test.ts.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReportData } from "../src/reports/report-data.js";
import { createFaultlineServer, MAX_BODY } from "../src/serve/server.js";

const ROOT = new URL("..", import.meta.url).pathname;
const MODEL = "examples/aws-us-east-1.yaml";
const REPLAY = "examples/scenarios/aws-us-east-1-2025.yaml";
const LESSONS = "examples/scenarios/aws-us-east-1-2025-lessons.yaml";

let project: string;
let server: Server;
let base: string;

beforeAll(async () => {
  // A copy of the examples as the project, and a secret beside it that must stay out of reach.
  const dir = mkdtempSync(join(tmpdir(), "faultline-serve-"));
  project = join(dir, "project");
  mkdirSync(project);
  cpSync(join(ROOT, "examples"), join(project, "examples"), { recursive: true });
  cpSync(join(ROOT, "schema"), join(project, "schema"), { recursive: true });
  writeFileSync(join(dir, "secret.yaml"), "password: hunter2\n");
  symlinkSync(join(dir, "secret.yaml"), join(project, "link-out.yaml"));
  server = createFaultlineServer({ root: project, model: MODEL });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((ok) => server?.close(ok));
});

async function call(method: string, path: string, body?: string) {
  const res = await fetch(base + path, { method, ...(body !== undefined && { body }) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe("the serve API", () => {
  it("listens on 127.0.0.1 and serves the UI's page", async () => {
    expect((server.address() as AddressInfo).address).toBe("127.0.0.1");
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await res.text()).toContain("<title>Faultline</title>");
  });

  it("lists the models and scenarios of the project", async () => {
    const { status, json } = await call("GET", "/api/files");
    expect(status).toBe(200);
    expect(json.models).toContain(MODEL);
    expect(json.scenarios).toEqual([LESSONS, REPLAY]);
    expect(json.initial).toEqual({ model: MODEL });
  });

  it("refuses paths outside the project directory, however written", async () => {
    for (const path of [
      "../secret.yaml",
      "examples/../../secret.yaml",
      join(project, "..", "secret.yaml"),
      "/etc/hostname.yaml",
    ]) {
      const r = await call("GET", `/api/file?path=${encodeURIComponent(path)}`);
      expect(r.status, path).toBe(403);
      expect(String(r.json.error)).toContain("outside the project directory");
    }
    const link = await call("GET", "/api/file?path=link-out.yaml");
    expect(link.status).toBe(403);
    expect(JSON.stringify(link.json)).not.toContain("hunter2");
    const write = await call("PUT", "/api/file?path=../evil.yaml", "x: 1\n");
    expect(write.status).toBe(403);
  });

  it("validates unsaved text with located problems and a suggestion", async () => {
    const text = readFileSync(join(project, MODEL), "utf8").replace(
      "    needs:\n      dynamodb:",
      "    needs:\n      dynamo-db:",
    );
    expect(text).toContain("dynamo-db");
    const line = text.split("\n").findIndex((l) => l.includes("dynamo-db:")) + 1;
    const r = await call(
      "POST",
      "/api/validate",
      JSON.stringify({ path: MODEL, text, model: MODEL }),
    );
    expect(r.status).toBe(200);
    const problems = r.json.diagnostics as { line: number; message: string; suggestion?: string }[];
    const typo = problems.find((d) => d.suggestion === "dynamodb");
    expect(typo?.line).toBe(line);
    // Nothing was written.
    expect(readFileSync(join(project, MODEL), "utf8")).not.toContain("dynamo-db");
  });

  it("checks a scenario against the chosen model", async () => {
    const text = readFileSync(join(project, REPLAY), "utf8").replace(
      "target: dynamodb.us-east-1.amazonaws.com",
      "target: dynamodb.us-east-1.amazonaws.co",
    );
    const r = await call(
      "POST",
      "/api/validate",
      JSON.stringify({ path: REPLAY, text, model: MODEL }),
    );
    const problems = r.json.diagnostics as { file: string; message: string }[];
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]?.file).toBe(REPLAY);
  });

  it("saves a file and says what is wrong with it", async () => {
    const r = await call(
      "PUT",
      "/api/file?path=examples/new.yaml",
      "name: x\ncomponents:\n  a: {kind: api}\n",
    );
    expect(r.status).toBe(200);
    expect(r.json.saved).toBe(true);
    expect(readFileSync(join(project, "examples/new.yaml"), "utf8")).toContain("kind: api");
    expect((r.json.diagnostics as unknown[]).length).toBeGreaterThan(0);
  });

  it("runs the audit and two scenarios side by side", async () => {
    const r = await call(
      "POST",
      "/api/run",
      JSON.stringify({ model: MODEL, scenario: REPLAY, compare: LESSONS }),
    );
    expect(r.status).toBe(200);
    const data = r.json as unknown as ReportData;
    expect(data.runs.map((x) => x.label)).toEqual([
      "aws-us-east-1-2025",
      "aws-us-east-1-2025-lessons",
    ]);
    expect(data.audit.findings.length).toBeGreaterThan(0);
    // The lessons keep customers up where the replay does not.
    const availability = (i: number) =>
      data.runs[i]?.journal.workloads.find((w) => w.id === "customer-requests")?.availability ?? 0;
    expect(availability(1)).toBeGreaterThan(availability(0));
  });

  it("answers bad requests with a 4xx and a message, and keeps serving", async () => {
    const cases: [string, string, string | undefined, number][] = [
      ["POST", "/api/run", "not json", 400],
      ["POST", "/api/run", "[1,2]", 400],
      ["POST", "/api/run", JSON.stringify({ model: "examples/missing.yaml" }), 404],
      ["POST", "/api/run", JSON.stringify({ model: "examples/new.yaml" }), 422],
      ["POST", "/api/validate", JSON.stringify({ path: MODEL, text: 42 }), 400],
      ["GET", "/api/file", undefined, 400],
      ["GET", "/api/file?path=README.md", undefined, 400],
      ["GET", "/api/nothing", undefined, 404],
      ["DELETE", "/api/file?path=examples/new.yaml", undefined, 405],
      ["PUT", "/api/file?path=no/such/dir/x.yaml", "a: 1", 404],
      ["PUT", "/api/file?path=.github/workflows/ci.yaml", "a: 1", 403],
      ["GET", "/api/file?path=node_modules/x/y.yaml", undefined, 403],
    ];
    for (const [method, path, body, status] of cases) {
      const r = await call(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(status);
      expect(typeof r.json.error, `${method} ${path}`).toBe("string");
    }
    const big = await call("POST", "/api/validate", "x".repeat(MAX_BODY + 1));
    expect(big.status).toBe(413);
    expect((await call("GET", "/api/files")).status).toBe(200);
  });
});
