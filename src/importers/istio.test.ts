/** The Istio importer on configuration written for these tests (test/fixtures/importers/istio/). */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readDocuments } from "./documents.js";
import { serviceOfHost } from "./hosts.js";
import { istioImporter } from "./istio.js";

const FILE = "test/fixtures/importers/istio/policies.yaml";
const read = readDocuments({ path: FILE, text: readFileSync(FILE, "utf8") });
if (!read.ok) throw new Error("fixture does not parse");
const f = istioImporter.run(read.documents, {});

describe("istio importer", () => {
  it("reads the default route's timeout and retries (retries + the first try) as a policy for the host", () => {
    expect(f.policies[0]).toEqual({
      to: "payments",
      options: { timeout: "2s", retry: { attempts: 3 } },
      source: { file: FILE, line: 14, column: 7, address: "VirtualService/payments" },
    });
  });

  it("reads outlier detection as a breaker that opens on consecutive errors", () => {
    expect(f.policies[1]?.options).toEqual({
      breaker: { errorRate: "100%", minRequests: 5, window: "10s", openFor: "1m" },
    });
  });

  it("makes a ServiceEntry an external component, and says what it leaves out", () => {
    expect(f.components).toEqual([
      expect.objectContaining({
        id: "card-network",
        kind: "external",
        aliases: ["api.cards.example.net"],
      }),
    ]);
    expect(f.diagnostics.map((d) => d.message)).toEqual([
      "1 Istio object(s) other than VirtualService, DestinationRule and ServiceEntry govern no call's timeout, retries or ejection: not imported (Gateway/shop-gateway)",
    ]);
  });

  it.each([
    ["payments", "payments"],
    ["payments.shop.svc.cluster.local", "payments"],
    ["payments.shop.svc", "payments"],
    ["api.cards.example.net", "api.cards.example.net"],
  ])("knows %s as %s", (host, service) => expect(serviceOfHost(host)).toBe(service));
});
