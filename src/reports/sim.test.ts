import { describe, expect, it } from "vitest";
import { dnsJournal } from "./fixtures.js";
import { SIM_FORMATS, SIM_RENDERERS } from "./sim.js";

describe("SIM_RENDERERS", () => {
  const journal = dnsJournal();

  it.each(SIM_FORMATS)("%s: renders the journal as one text ending in a newline", (format) => {
    const out = SIM_RENDERERS[format](journal, { toolVersion: "1.2.3", color: false });
    expect(out.endsWith("\n")).toBe(true);
    expect(out.endsWith("\n\n")).toBe(false);
    expect(out).toContain("db.example");
  });
});
