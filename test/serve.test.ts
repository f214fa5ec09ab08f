/**
 * `faultline serve`'s API on 127.0.0.1: it reads and writes YAML inside its project directory
 * only, validates unsaved text with located problems, runs the audit and simulations, limits
 * request bodies, and answers every bad request with a 4xx and a message — and keeps serving.
 * It answers only to its own name and its own page (the DNS-rebinding and cross-site
 * reproducers of issue 15 are refused), never loses a save made on a stale version, keeps
 * symbolic links, loops and FIFOs from leading it out or stalling it, and answers while a
 * simulation runs. The UI in a browser is in serve.browser.test.ts.
 */
import { execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { request, type Server } from "node:http";
import { type AddressInfo, connect, type Socket } from "node:net";
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
let outside: string;
let server: Server;
let base: string;
let port: number;

beforeAll(async () => {
  // A copy of the examples as the project, and a secret beside it that must stay out of reach.
  const dir = mkdtempSync(join(tmpdir(), "faultline-serve-"));
  project = join(dir, "project");
  outside = join(dir, "outside");
  mkdirSync(project);
  mkdirSync(outside);
  cpSync(join(ROOT, "examples"), join(project, "examples"), { recursive: true });
  cpSync(join(ROOT, "schema"), join(project, "schema"), { recursive: true });
  writeFileSync(join(dir, "secret.yaml"), "password: hunter2\n");
  writeFileSync(join(outside, "secret.yaml"), "components:\n  hunter2: { kind: api }\n");
  symlinkSync(join(dir, "secret.yaml"), join(project, "link-out.yaml"));
  // The traps of issue 15: a directory link out, a dangling link, a link loop, a FIFO.
  symlinkSync(outside, join(project, "linked-out"));
  symlinkSync(join(outside, "planted.yaml"), join(project, "dangling.yaml"));
  symlinkSync("loop-b.yaml", join(project, "loop-a.yaml"));
  symlinkSync("loop-a.yaml", join(project, "loop-b.yaml"));
  symlinkSync("..", join(project, "examples", "up"));
  execFileSync("mkfifo", [join(project, "fifo.yaml")]);
  server = createFaultlineServer({ root: project, model: MODEL });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await new Promise((ok) => server?.close(ok));
});

/** A request from the server's own page: its Origin, and the version for a save. */
async function call(
  method: string,
  path: string,
  body?: string,
  headers: Record<string, string> = {},
) {
  const res = await fetch(base + path, {
    method,
    headers: { origin: base, ...headers },
    ...(body !== undefined && { body }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** A request with exactly these headers (fetch would not send another Host). */
function raw(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; text: string; headers: Record<string, unknown> }> {
  return new Promise((ok, fail) => {
    const req = request({ host: "127.0.0.1", port, method, path, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => {
        text += d;
      });
      res.on("end", () => ok({ status: res.statusCode ?? 0, text, headers: res.headers }));
    });
    req.on("error", fail);
    req.end(body);
  });
}

const versionOf = async (path: string) =>
  (await call("GET", `/api/file?path=${encodeURIComponent(path)}`)).json.version as string;

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
    expect(json.scenarios).toEqual([
      "examples/cases/aws-s3-2017/lessons-scenario.yaml",
      "examples/cases/aws-s3-2017/scenario.yaml",
      "examples/cases/crowdstrike-2024/lessons-scenario.yaml",
      "examples/cases/crowdstrike-2024/scenario.yaml",
      "examples/cases/facebook-2021/lessons-scenario.yaml",
      "examples/cases/facebook-2021/scenario.yaml",
      "examples/cases/slack-2021/lessons-scenario.yaml",
      "examples/cases/slack-2021/scenario.yaml",
      LESSONS,
      REPLAY,
      "examples/scenarios/global-config-push-lessons.yaml",
      "examples/scenarios/global-config-push.yaml",
      "examples/scenarios/queue-drain.yaml",
    ]);
    expect(json.initial).toEqual({ model: MODEL });
  });

  it("lists the project even when the model to open first is gone", async () => {
    const other = createFaultlineServer({ root: project, model: "examples/gone.yaml" });
    await new Promise<void>((ok) => other.listen(0, "127.0.0.1", ok));
    try {
      const res = await fetch(
        `http://127.0.0.1:${(other.address() as AddressInfo).port}/api/files`,
      );
      expect(res.status).toBe(200);
      expect(((await res.json()) as { initial: unknown }).initial).toEqual({ model: null });
    } finally {
      await new Promise((ok) => other.close(ok));
    }
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
      { "if-none-match": "*" },
    );
    expect(r.status).toBe(200);
    expect(r.json.saved).toBe(true);
    expect(r.json.version).toBe(await versionOf("examples/new.yaml"));
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
      ["PUT", "/api/file?path=examples/new.yaml", "a: 1", 428],
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

describe("who may use the serve API", () => {
  it("refuses the DNS-rebinding reproducer: a foreign Host, and nothing is written", async () => {
    // curl -H 'Host: attacker.example:PORT' -X PUT --data-binary 'name: x' …/api/file?path=x.yaml
    const r = await raw(
      "PUT",
      "/api/file?path=x.yaml",
      { host: `attacker.example:${port}`, "if-none-match": "*" },
      "name: x",
    );
    expect(r.status).toBe(403);
    expect(r.text).toContain("does not answer to the name 'attacker.example");
    expect(existsSync(join(project, "x.yaml"))).toBe(false);
    for (const path of ["/api/files", `/api/file?path=${MODEL}`])
      expect((await raw("GET", path, { host: `attacker.example:${port}` })).status, path).toBe(403);
  });

  it("refuses cross-origin text/plain POSTs to /api/run and /api/validate", async () => {
    const bodies = {
      "/api/run": JSON.stringify({ model: MODEL, scenario: REPLAY }),
      "/api/validate": JSON.stringify({ path: MODEL, text: "name: x\n", model: MODEL }),
    };
    for (const [path, body] of Object.entries(bodies)) {
      const r = await raw(
        "POST",
        path,
        { host: `127.0.0.1:${port}`, origin: "http://evil.example", "content-type": "text/plain" },
        body,
      );
      expect(r.status, path).toBe(403);
      expect(r.text).toContain("another site");
    }
  });

  it("forbids framing the page, and sends no referrer", async () => {
    const res = await fetch(`${base}/`);
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
  });

  it("asks for the token printed at start when it has one", async () => {
    const guarded = createFaultlineServer({ root: project, token: "t0k3n-for-tests" });
    await new Promise<void>((ok) => guarded.listen(0, "127.0.0.1", ok));
    const url = `http://127.0.0.1:${(guarded.address() as AddressInfo).port}/api/files`;
    try {
      const without = await fetch(url);
      expect(without.status).toBe(401);
      expect(((await without.json()) as { error: string }).error).toContain("?token=");
      const wrong = await fetch(url, { headers: { authorization: "Bearer t0k3n-for-tesTS" } });
      expect(wrong.status).toBe(401);
      const right = await fetch(url, { headers: { authorization: "Bearer t0k3n-for-tests" } });
      expect(right.status).toBe(200);
    } finally {
      await new Promise((ok) => guarded.close(ok));
    }
  });
});

describe("saves", () => {
  it("of fifty made on one version, one lands and forty-nine are refused with 409", async () => {
    await call("PUT", "/api/file?path=examples/race.yaml", "name: race\n", {
      "if-none-match": "*",
    });
    const version = await versionOf("examples/race.yaml");
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        call("PUT", "/api/file?path=examples/race.yaml", `name: race-${i}\n`, {
          "if-match": `"${version}"`,
        }),
      ),
    );
    const landed = results.filter((r) => r.status === 200);
    const refused = results.filter((r) => r.status === 409);
    expect(landed).toHaveLength(1);
    expect(refused).toHaveLength(49);
    // The one told "saved" is the one on disk; the others were told otherwise.
    const onDisk = readFileSync(join(project, "examples/race.yaml"), "utf8");
    expect(landed[0]?.json.version).toBe(await versionOf("examples/race.yaml"));
    expect(refused[0]?.json.version).toBe(landed[0]?.json.version);
    expect(String(refused[0]?.json.error)).toContain("changed on disk since you opened it");
    expect(onDisk).toMatch(/^name: race-\d+\n$/);
  });
});

describe("links, loops and FIFOs in the project", () => {
  it("never lets a save through a dangling link create a file outside", async () => {
    const r = await call("PUT", "/api/file?path=dangling.yaml", "name: planted\n", {
      "if-none-match": "*",
    });
    expect(r.status).toBe(403);
    expect(existsSync(join(outside, "planted.yaml"))).toBe(false);
  });

  it("never includes a file outside through a linked directory", async () => {
    const text = "name: x\ninclude: [../linked-out/secret.yaml]\n";
    const r = await call(
      "POST",
      "/api/validate",
      JSON.stringify({ path: "examples/x.yaml", text, model: null }),
    );
    expect(r.status).toBe(403);
    expect(JSON.stringify(r.json)).not.toContain("hunter2");
  });

  it("lists nothing through links out, loops or FIFOs, and answers at once", async () => {
    const { json } = await call("GET", "/api/files");
    const all = [...(json.models as string[]), ...(json.scenarios as string[])];
    expect(all.filter((f) => !f.startsWith("examples/") && !f.startsWith("schema/"))).toEqual([]);
    expect(all.some((f) => f.includes("/up/"))).toBe(false);
    for (const path of ["fifo.yaml", "loop-a.yaml"]) {
      const r = await call("GET", `/api/file?path=${path}`);
      expect(r.status, path).toBe(400);
    }
    expect((await call("GET", "/api/files")).status).toBe(200);
  });
});

describe("the server under load", () => {
  it("answers while a simulation runs: the listing comes back before the run", async () => {
    const order: string[] = [];
    const run = call(
      "POST",
      "/api/run",
      JSON.stringify({ model: MODEL, scenario: REPLAY, compare: LESSONS }),
    ).then((r) => {
      order.push("run");
      return r;
    });
    // Once the run has reached the server, ask for something else.
    await new Promise((ok) => setTimeout(ok, 50));
    const files = await call("GET", "/api/files");
    order.push("files");
    expect(files.status).toBe(200);
    expect((await run).status).toBe(200);
    expect(order).toEqual(["files", "run"]);
  });

  it("caps its connections, and serves again once they close", async () => {
    const capped = createFaultlineServer({ root: project, maxConnections: 2 });
    await new Promise<void>((ok) => capped.listen(0, "127.0.0.1", ok));
    const cappedPort = (capped.address() as AddressInfo).port;
    // Connections in the middle of a request (its headers not finished): not idle.
    const open = (): Promise<Socket> =>
      new Promise((ok) => {
        const s = connect(cappedPort, "127.0.0.1", () => {
          s.write(`GET /api/files HTTP/1.1\r\nHost: 127.0.0.1:${cappedPort}\r\n`);
          ok(s);
        });
      });
    const get = () =>
      fetch(`http://127.0.0.1:${cappedPort}/api/files`).then(
        (r) => r.status,
        () => "refused",
      );
    try {
      const held = [await open(), await open()];
      expect(await get()).toBe("refused");
      for (const s of held) s.destroy();
      await expect.poll(get, { timeout: 10_000 }).toBe(200);
    } finally {
      await new Promise((ok) => capped.close(ok));
    }
  });
});
