import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DOMAINS, modelOf, parseTexts } from "../../test/helpers/memory.js";
import { parseScenario } from "../scenario/load.js";
import { formatDiagnostic } from "./diagnostics.js";
import { diskReader, MAX_FILE_BYTES, parseModel } from "./load.js";
import { FULL_PARSER_MAX_BYTES } from "./source.js";

const lines = (files: Record<string, string>) => {
  const r = parseTexts(files);
  expect(r.ok).toBe(false);
  return r.diagnostics.map(formatDiagnostic);
};

describe("names JavaScript gives a meaning", () => {
  it("refuses a __proto__ key where it is written, instead of losing it", () => {
    expect(
      lines({
        "m.yaml": `name: x\n${DOMAINS}\ncomponents:\n  __proto__: { kind: api, placement: { region: r1 } }\n`,
      }),
    ).toEqual([
      "m.yaml:12:3: error[invalid-value] components.__proto__: '__proto__' cannot be a key: JavaScript objects give it a meaning of their own, so it would vanish; rename it",
    ]);
    const model = modelOf(
      `name: x\n${DOMAINS}\ncomponents:\n  db: { kind: database, placement: { region: r1 } }\n`,
    );
    const r = parseScenario(
      "s.yaml",
      "name: s\nduration: 1h\nfaults:\n  __proto__: { kind: down, target: db }\n",
      model,
    );
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([
      "s.yaml:4:3: error[invalid-value] faults.__proto__: '__proto__' cannot be a key: JavaScript objects give it a meaning of their own, so it would vanish; rename it",
    ]);
  });

  it("keeps constructor, toString and hasOwnProperty as ordinary ids", () => {
    const m = modelOf(`name: x
${DOMAINS}
components:
  constructor: { kind: api, placement: { region: r1 }, needs: [toString] }
  toString: { kind: database, placement: { region: r1 } }
workloads:
  hasOwnProperty: { entry: constructor, rate: 5 rps }
`);
    expect(m.components.map((c) => c.id)).toEqual(["constructor", "toString"]);
    expect(m.dependencies).toEqual([
      expect.objectContaining({ from: "constructor", to: "toString" }),
    ]);
    expect(m.workloads.map((w) => w.id)).toEqual(["hasOwnProperty"]);
  });
});

describe("messages that say what is wrong where it is wrong, once", () => {
  it("puts an indentation mistake at its line, once", () => {
    expect(
      lines({
        "m.yaml": `name: x\ncomponents:\n  a:\n    kind: api\n    placement: global\n b:\n    kind: api\n    placement: global\n  c:\n    kind: api\n  d:\n    kind: api\n`,
      }),
    ).toEqual([
      "m.yaml:6:2: error[yaml-syntax] this line starts at column 2, but the keys of 'components' start at column 3: indent it like them",
    ]);
    expect(
      lines({
        "m.yaml": `name: x\ncomponents:\n  a:\n    kind: api\n    placement: global\n     needs: [b]\n`,
      }),
    ).toEqual([
      "m.yaml:6:6: error[yaml-syntax] this line is indented more than 'placement' above it, which already has its value on its line: start it at column 5, like 'placement'",
    ]);
  });

  it("names a key written twice, its mapping and the first one's line", () => {
    expect(
      lines({
        "m.yaml": `name: x\ncomponents:\n  api: { kind: api, placement: global }\n  api: { kind: web, placement: global }\n`,
      }),
    ).toEqual([
      "m.yaml:4:3: error[duplicate-key] components.api: 'api' is written twice in 'components'; the first is at line 3. YAML would keep only one of them: merge them or rename one",
    ]);
  });

  it("suggests the short unit for a spelled-out duration", () => {
    expect(
      lines({
        "m.yaml": `name: x\n${DOMAINS}\ncomponents:\n  a: { kind: api, placement: { region: r1 }, latency: 30 minutes }\n`,
      }),
    ).toEqual([
      "m.yaml:12:55: error[invalid-value] components.a.latency: write 30m: durations take short units (ms, s, m, h, d)",
    ]);
  });

  it("reports a wrong value inside a mapping, not the mapping as '[object Object]'", () => {
    expect(
      lines({
        "m.yaml": `name: x\n${DOMAINS}\ncomponents:\n  a: { kind: api, placement: { global: yes } }\n`,
      }),
    ).toEqual([
      "m.yaml:12:40: error[invalid-value] components.a.placement.global: 'yes' is not allowed here (expected one of: true)",
    ]);
  });

  it("points a DNS fault aimed at a component to the component's records", () => {
    const model = modelOf(`name: x
${DOMAINS}
components:
  dns: { kind: dns, placement: { region: r1 }, records: { db.internal: { targets: [db], ttl: 60s } } }
  db: { kind: database, placement: { region: r1 } }
`);
    const r = parseScenario(
      "s.yaml",
      "name: s\nduration: 1h\nfaults:\n  f: { kind: dns-empty, target: db }\n",
      model,
    );
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([
      "s.yaml:4:33: error[unknown-reference] faults.f.target: 'db' is a component; dns-empty acts on a DNS record, and the records that point at db are db.internal — did you mean 'db.internal'?",
    ]);
  });

  it("names the records of a component that a model's fix-dns action aims at", () => {
    expect(
      lines({
        "m.yaml": `name: x
${DOMAINS}
components:
  dns: { kind: dns, placement: { region: r1 }, records: { db.internal: { targets: [db], ttl: 60s } } }
  db: { kind: database, placement: { region: r1 } }
actions:
  fix: { do: fix-dns, target: db }
`,
      }),
    ).toEqual([
      "m.yaml:15:31: error[unknown-reference] actions.fix.target: 'db' is a component; fix-dns acts on a DNS record, and the records that point at db are db.internal — did you mean 'db.internal'?",
    ]);
  });

  it("reads a model's time trigger, when: { at }, on a scenario action too", () => {
    const model = modelOf(
      `name: x\n${DOMAINS}\ncomponents:\n  db: { kind: database, placement: { region: r1 } }\n`,
    );
    const r = parseScenario(
      "s.yaml",
      "name: s\nduration: 1h\nactions:\n  a: { do: restart, target: db, when: { at: 30m } }\n",
      model,
    );
    expect(r.ok && r.scenario.actions[0]?.trigger).toEqual({ on: "time", at: 1800 });
  });
});

describe("inputs that try to exhaust the loader", () => {
  it("refuses aliases that expand without end (a billion laughs)", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(", ")}]`);
    }
    expect(lines({ "m.yaml": `${levels.join("\n")}\n` })).toEqual([
      "m.yaml:1:1: error[yaml-syntax] aliases (*name) expand to more than 10000 nodes; write the repeated parts out, or use fewer levels of aliases",
    ]);
  });

  it("refuses a list, a mapping or a tagged value as a key, instead of turning it into text", () => {
    expect(lines({ "m.yaml": "name: x\ncomponents:\n  [a, b]: { kind: api }\n" })).toEqual([
      "m.yaml:3:3: error[yaml-syntax] components: a key must be a plain name, not a list, a mapping or a tagged value; write the name alone before the colon",
    ]);
    // Found by the fuzz campaign (seed 3, case 11648): a tagged binary key.
    expect(lines({ "m.yaml": "name: x\ncomponents:\n  !!binary aGk=: { kind: api }\n" })).toEqual([
      "m.yaml:3:12: error[yaml-syntax] components: a key must be a plain name, not a list, a mapping or a tagged value; write the name alone before the colon",
    ]);
  });

  it("refuses nesting thousands of levels deep", () => {
    const deep = `${"[".repeat(5000)}${"]".repeat(5000)}`;
    const ds = lines({ "m.yaml": `name: x\ndomains: ${deep}\n` });
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatch(/^m\.yaml:\d+:\d+: error\[\S+\] .*(nested|nests)/);
  });

  it("refuses terminal control characters, and never prints them", () => {
    const ds = lines({ "m.yaml": 'name: "x\\e[2J"\ncomponents: {}\n' });
    expect(ds).toEqual([
      "m.yaml:1:7: error[invalid-value] this text holds the control character U+001B, which a terminal would act on: remove it",
    ]);
    expect(
      formatDiagnostic({
        code: "unknown-reference",
        severity: "error",
        message: "unknown component 'a\u001b[31m\nfake'",
        file: "m.yaml",
        line: 1,
        column: 1,
        path: "",
      }),
    ).toBe("m.yaml:1:1: error[unknown-reference] unknown component 'a\\u001b[31m\\u000afake'");
  });

  it("refuses a large file that the fast reader cannot read, at the first line it cannot", () => {
    const filler = "components:\n".concat("  # padding\n".repeat(FULL_PARSER_MAX_BYTES / 12 + 1));
    const ds = lines({ "m.yaml": `name: x\n${filler}  a: &anchor { kind: api }\n` });
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatch(
      /^m\.yaml:\d+:6: error\[invalid-value\] this file is 16\.0 MB and, from here on, uses YAML beyond the plain subset/,
    );
  });
});

describe("reading from disk", () => {
  const dir = mkdtempSync(join(tmpdir(), "faultline-disk-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const problem = (name: string) => {
    const r = parseModel(name, diskReader(dir));
    expect(r.ok).toBe(false);
    return r.diagnostics.map(formatDiagnostic);
  };

  it("says a directory is a directory", () => {
    mkdirSync(join(dir, "models"));
    expect(problem("models")).toEqual([
      "models:1:1: error[missing-file] cannot read 'models': it is a directory; name a YAML file in it",
    ]);
  });

  it("refuses devices and pipes before reading from them, also through include", () => {
    execFileSync("mkfifo", [join(dir, "pipe.yaml")]);
    expect(problem("pipe.yaml")).toEqual([
      "pipe.yaml:1:1: error[missing-file] cannot read 'pipe.yaml': it is not a regular file (a device, a pipe or a socket); models are read from files",
    ]);
    writeFileSync(join(dir, "zero.yaml"), "name: x\ninclude: [/dev/zero]\n");
    expect(problem("zero.yaml")).toEqual([
      "zero.yaml:2:11: error[missing-file] include.0: cannot read '/dev/zero': it is not a regular file (a device, a pipe or a socket); models are read from files",
    ]);
  });

  it("refuses a file over the size limit without reading it", () => {
    const big = join(dir, "big.yaml");
    writeFileSync(big, "");
    truncateSync(big, MAX_FILE_BYTES + 1);
    expect(problem("big.yaml")).toEqual([
      "big.yaml:1:1: error[missing-file] cannot read 'big.yaml': it is 128.0 MB, more than the 128.0 MB a model file may have; split it with include",
    ]);
  });
});
