import { describe, expect, it } from "vitest";
import { ANSI, dnsJournal, hostileJournal, MULTILINE, PIPE } from "./fixtures.js";
import { renderJournalText } from "./sim-text.js";

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding escape sequences is the point.
const ESCAPES = /\u001b\[/;

describe("renderJournalText", () => {
  const journal = dnsJournal();

  it("reads well for a small run", () => {
    expect(renderJournalText(journal)).toMatchInlineSnapshot(`
      "Simulation of test: scenario test (scenario.yaml), 1h
        21 changes; 2 of 5 components impacted; 1 of 2 expectations met.
        Engine: 1194 steps, 4 events.

      Timeline
        00:01:00.0  fault emptied: inactive → active
                      ← fault: DNS record db.example emptied
                    record db.example: ok → empty
                      ← fault emptied: DNS record db.example emptied
        00:01:00.5  queue jobs: normal → backlogged
                      ← queue: consumers fail 1% of receives, whose messages come back after the
                        visibility timeout (30s); messages arrive at 99 rps, consumers take up to 150 rps
        00:01:00.8  api, worker: up → degraded
                      ← dns db.example: 1.5% of clients' cached answers for db.example have expired (empty
                        since 00:01:00)
        00:01:30.2  api, worker: degraded → down
                      ← dns db.example: 50.5% of clients' cached answers for db.example have expired
                        (empty since 00:01:00)
        00:15:00.0  action fix: pending → done
                      ← action: fix-dns db.example (triggered at 00:15:00)
                    fault emptied: active → ended
                      ← action fix: action fix (fix-dns)
                    record db.example: empty → ok
                      ← action fix: action fix (fix-dns)
        00:17:29.3  api, worker: down → degraded
                      ← dns db.example: 50% of clients still hold the failed answer for db.example (cached
                        since before 00:15:00)
        00:19:56.3  api, worker: degraded → up
                      ← recovered: serving normally again
        00:20:30.0  queue jobs: backlogged → normal
                      ← queue: backlog drained
        00:25:00.0  fault worker-down: inactive → active
                      ← fault: worker down
                    worker: up → down
                      ← fault worker-down: worker down
        00:25:05.0  queue jobs: normal → backlogged
                      ← queue worker: messages arrive at 100 rps; consumers take up to 0 rps
        00:30:00.0  fault worker-down: active → ended
                      ← fault: fault worker-down ended at its scheduled time
                    worker: down → up
                      ← recovered: serving normally again
        00:40:00.0  queue jobs: backlogged → normal
                      ← queue: backlog drained

      Components (2 of 5 impacted)
        component  first impact   recovered  downtime  degraded  worst success  at the end
        api          00:01:00.8  00:19:56.3    15m59s     2m56s             0%  up
        worker       00:01:00.8  00:30:00.0    20m59s     2m56s             0%  up

      Workloads
        workload  availability       failed  delayed    SLO  budget burnt
        orders         73.333%  96k of 360k        0  99.9%          267×

      Queues
        queue  peak backlog     peak at     drained  expired  dead-lettered  left at the end
        jobs            30k  00:30:00.0  00:40:00.0        0              0                0

      Expectations
        ✓ time-to-recover api  scenario.yaml:1
            expected ≤ 10m after 00:15:00; actual 4m56s (at 00:19:56.3)
        ✗ impacted db  scenario.yaml:1
            expected impacted; actual not impacted

      1 of 2 expectations met.
      "
    `);
  });

  it("has no ANSI codes unless color is asked for, and colors the changes when it is", () => {
    expect(renderJournalText(journal, { color: false })).not.toMatch(ESCAPES);
    const colored = renderJournalText(journal, { color: true });
    expect(colored).toMatch(ESCAPES);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing escape sequences is the point.
    expect(colored.replace(/\u001b\[\d+m/g, "")).toBe(renderJournalText(journal));
  });

  it("stays within 100 columns", () => {
    for (const line of renderJournalText(journal).split("\n")) {
      expect([...line].length).toBeLessThanOrEqual(100);
    }
  });

  it("writes the wall-clock start when the scenario has one", () => {
    const text = renderJournalText({
      ...journal,
      scenario: { ...journal.scenario, startsAt: "2025-10-19T23:48:00-07:00" },
    });
    expect(text.split("\n")[1]).toBe(
      "  Starts at 2025-10-19T23:48:00-07:00 (time 0); times below count from there.",
    );
  });

  it("keeps names from the model from moving the cursor or faking colors", () => {
    const text = renderJournalText(hostileJournal(), { color: false });
    expect(text).not.toMatch(ESCAPES);
    expect(text).toContain("evil\uFFFD[2J\uFFFD[31mred");
    expect(text).toContain(PIPE);
    expect(text).not.toContain(MULTILINE);
    expect(text).not.toContain(ANSI);
  });

  it("says so when nothing happened", () => {
    const quiet = {
      ...journal,
      timeline: [],
      components: journal.components.map((c) => ({ ...c, impacted: false, firstImpact: null })),
      queues: [],
      expectations: [],
    };
    const text = renderJournalText(quiet);
    expect(text).toContain("Timeline\n  Nothing changed.\n");
    expect(text).toContain("Components (0 of 5 impacted)\n");
    expect(text.endsWith("No expectations in the scenario.\n")).toBe(true);
  });
});
