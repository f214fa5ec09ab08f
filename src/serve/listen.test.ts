import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { listenFaultline, tokenFor } from "./listen.js";

describe("tokenFor", () => {
  it("gives no token on loopback, where the Host and Origin checks suffice", () => {
    for (const host of ["127.0.0.1", "localhost", "::1"]) expect(tokenFor(host), host).toBeNull();
  });

  it("draws a fresh random token for any other address", () => {
    const a = tokenFor("0.0.0.0");
    const b = tokenFor("192.168.1.9");
    expect(a).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(b).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(a).not.toBe(b);
  });
});

describe("listenFaultline", () => {
  const root = mkdtempSync(join(tmpdir(), "faultline-listen-"));

  it("prints the loopback address without a token", async () => {
    const { server, url, token } = await listenFaultline({ root, host: "127.0.0.1", port: 0 });
    try {
      expect(token).toBeNull();
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    } finally {
      await new Promise((ok) => server.close(ok));
    }
  });

  it("puts the token in the address to open, and requires it", async () => {
    const { server, url } = await listenFaultline({
      root,
      host: "127.0.0.1",
      port: 0,
      token: "printed-token",
    });
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=printed-token$/);
      expect((await fetch(new URL("/api/files", url))).status).toBe(401);
    } finally {
      await new Promise((ok) => server.close(ok));
    }
  });

  it("rejects with the listen error when the port is taken", async () => {
    const first = await listenFaultline({ root, host: "127.0.0.1", port: 0 });
    const port = Number(new URL(first.url).port);
    try {
      await expect(listenFaultline({ root, host: "127.0.0.1", port })).rejects.toMatchObject({
        code: "EADDRINUSE",
      });
    } finally {
      await new Promise((ok) => first.server.close(ok));
    }
  });
});
