import { describe, expect, it } from "vitest";
import { accessPolicy, isLoopback, type RequestView, refusal } from "./guard.js";

const PORT = 7420;
const local = accessPolicy({ host: "127.0.0.1" });
const req = (method: string, path: string, headers: Record<string, string>): RequestView => ({
  method,
  path,
  headers,
});
const status = (policy: typeof local, r: RequestView) => refusal(policy, r)?.status ?? 200;

describe("the Host check", () => {
  it("refuses the DNS-rebinding reproducer: a foreign name on the loopback address", () => {
    const r = refusal(
      local,
      req("PUT", "/api/file", {
        host: `attacker.example:${PORT}`,
        origin: `http://attacker.example:${PORT}`,
      }),
    );
    expect(r?.status).toBe(403);
    expect(r?.message).toContain("does not answer to the name 'attacker.example:7420'");
    expect(r?.message).toContain("--allow-host");
  });

  it("answers to the loopback names and addresses", () => {
    for (const host of [`127.0.0.1:${PORT}`, `localhost:${PORT}`, `[::1]:${PORT}`, "LOCALHOST"])
      expect(status(local, req("GET", "/api/files", { host })), host).toBe(200);
  });

  it("refuses a missing or malformed Host, and names under loopback names", () => {
    for (const host of [undefined, "", "localhost.attacker.example", "a:b:c", "127.0.0.1:x"]) {
      const headers: Record<string, string> = host === undefined ? {} : { host };
      expect(status(local, req("GET", "/api/files", headers)), String(host)).toBe(403);
    }
  });

  it("answers to a name allowed at start, and to the bound address", () => {
    const policy = accessPolicy({ host: "10.0.0.5", allowHosts: ["Build-Box.lan"], token: "t" });
    const auth = { authorization: "Bearer t" };
    expect(status(policy, req("GET", "/api/files", { host: "build-box.lan:1", ...auth }))).toBe(
      200,
    );
    expect(status(policy, req("GET", "/api/files", { host: "10.0.0.5:1", ...auth }))).toBe(200);
    expect(status(policy, req("GET", "/api/files", { host: "10.0.0.6:1", ...auth }))).toBe(403);
  });

  it("on every address, answers to any IP address but to no unknown name", () => {
    const policy = accessPolicy({ host: "0.0.0.0", token: "t" });
    const auth = { authorization: "Bearer t" };
    expect(status(policy, req("GET", "/api/files", { host: "192.168.1.9:1", ...auth }))).toBe(200);
    expect(status(policy, req("GET", "/api/files", { host: "rebind.example:1", ...auth }))).toBe(
      403,
    );
  });
});

describe("the Origin check", () => {
  const host = `127.0.0.1:${PORT}`;
  const own = `http://${host}`;

  it("refuses a cross-origin text/plain POST to /api/run and /api/validate", () => {
    for (const path of ["/api/run", "/api/validate"]) {
      const r = refusal(
        local,
        req("POST", path, { host, origin: "http://evil.example", "content-type": "text/plain" }),
      );
      expect(r?.status, path).toBe(403);
      expect(r?.message).toContain("http://evil.example");
    }
  });

  it("refuses a change without an Origin, and the opaque origin `null`", () => {
    expect(refusal(local, req("PUT", "/api/file", { host }))?.message).toContain(
      "needs an Origin header",
    );
    expect(status(local, req("POST", "/api/run", { host, origin: "null" }))).toBe(403);
  });

  it("refuses another port of the same host: another site's page", () => {
    expect(status(local, req("POST", "/api/run", { host, origin: "http://127.0.0.1:8000" }))).toBe(
      403,
    );
  });

  it("accepts the server's own page", () => {
    expect(status(local, req("PUT", "/api/file", { host, origin: own }))).toBe(200);
    expect(
      status(
        local,
        req("POST", "/api/run", { host, origin: own, "sec-fetch-site": "same-origin" }),
      ),
    ).toBe(200);
  });

  it("refuses an API read the browser marks as cross-site, but not a link to the page", () => {
    expect(status(local, req("GET", "/api/file", { host, "sec-fetch-site": "cross-site" }))).toBe(
      403,
    );
    expect(status(local, req("GET", "/api/file", { host, "sec-fetch-site": "same-site" }))).toBe(
      403,
    );
    expect(status(local, req("GET", "/", { host, "sec-fetch-site": "cross-site" }))).toBe(200);
  });
});

describe("the token", () => {
  const policy = accessPolicy({ host: "0.0.0.0", token: "s3cret-token" });
  const host = "192.168.1.9:7420";

  it("is required on every API request", () => {
    const r = refusal(policy, req("GET", "/api/files", { host }));
    expect(r?.status).toBe(401);
    expect(r?.message).toContain("?token=");
    expect(
      status(policy, req("GET", "/api/files", { host, authorization: "Bearer wrong-token!" })),
    ).toBe(401);
    expect(status(policy, req("GET", "/api/files", { host, authorization: "s3cret-token" }))).toBe(
      401,
    );
  });

  it("lets the right token through, and the page itself without one", () => {
    expect(
      status(policy, req("GET", "/api/files", { host, authorization: "Bearer s3cret-token" })),
    ).toBe(200);
    expect(status(policy, req("GET", "/", { host }))).toBe(200);
  });

  it("does not replace the Origin check", () => {
    expect(
      status(
        policy,
        req("POST", "/api/run", {
          host,
          authorization: "Bearer s3cret-token",
          origin: "http://evil.example",
        }),
      ),
    ).toBe(403);
  });
});

describe("isLoopback", () => {
  it("knows the addresses only this machine reaches", () => {
    for (const h of ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"])
      expect(isLoopback(h), h).toBe(true);
    for (const h of ["0.0.0.0", "::", "10.0.0.1", "192.168.1.9", "example.com", "128.0.0.1"])
      expect(isLoopback(h), h).toBe(false);
  });
});
