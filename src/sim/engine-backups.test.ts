/**
 * A component that loses its state (`data-loss`) and is restored from its backups
 * (`backup: { every, restore }`, action `restore-backup`), by hand: 100 rps enter `api`, which
 * needs `db`; `db` is backed up every hour and takes 30 min to restore.
 */
import { describe, expect, it } from "vitest";
import { parseScenario } from "../scenario/load.js";
import { simulate } from "./engine.js";
import { modelOf } from "./fixtures.js";
import type { Journal } from "./types.js";

const MODEL = (backup: string) =>
  modelOf(`
components:
  api: { kind: api, placement: { zones: [r1-a] }, needs: { db: {} } }
  db:
    kind: database
    placement: { zones: [r1-a] }
${backup}
workloads:
  users: { entry: api, rate: 100 rps }
`);

function run(backup: string, body: string): Journal {
  const m = MODEL(backup);
  const r = parseScenario("s.yaml", `name: s\nduration: 4h\n${body}`, m);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  return simulate(m, r.scenario, { samples: 61 });
}

const LOST = `faults:
  corrupted: { kind: data-loss, target: db, at: 1h40m }
actions:
  restore: { do: restore-backup, target: db, at: 2h }
expect:
  - dataAtRisk: { component: db, atLeast: 200k, atMost: 300k }
`;

describe("state lost and restored from a backup", () => {
  it("is down until the restore ends, and what was served since the last backup is at risk", () => {
    const j = run("    backup: { every: 1h, restore: 30m }", LOST);
    // Down from 6000 s; the restore starts at 7200 s and takes 1800 s.
    expect(j.workloads[0]?.served).toBeCloseTo(100 * (14_400 - (9000 - 6000)), 6);
    // The last backup was at 3600 s: 2400 s of 100 rps.
    expect(j.losses).toEqual([{ component: "db", at: 6000, backup: 3600, atRisk: 240_000 }]);
    expect(j.expectations.map((v) => v.ok)).toEqual([true]);
  });

  it("a restore-backup on a component without backups is refused where it is written", () => {
    const m = MODEL("");
    const r = parseScenario("s.yaml", `name: s\nduration: 4h\n${LOST}`, m);
    expect(r.ok ? [] : r.diagnostics.map((d) => d.message)).toEqual([
      "db has no backup to restore from — give it backup: { every, restore } in the model",
    ]);
  });
});
