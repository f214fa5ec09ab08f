import { describe, expect, it } from "vitest";
import { dnsJournal, hostileJournal, SCRIPT } from "./fixtures.js";
import { renderJournalMarkdown } from "./sim-markdown.js";

const OPTIONS = { toolVersion: "1.2.3" };

/** The table rows (header and separator included) that follow a heading. */
function tableAfter(markdown: string, heading: string): string[] {
  const lines = markdown.split("\n");
  const start = lines.findIndex((l) => l.startsWith(`## ${heading}`));
  const rows: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith("|")) rows.push(line);
    else if (rows.length > 0) break;
  }
  return rows;
}

/** Cells in a table row; a character escaped with a backslash never separates cells. */
function cellCount(row: string): number {
  return row.replace(/\\./g, "").split("|").length - 2;
}

describe("renderJournalMarkdown", () => {
  it("reads well for a small run", () => {
    expect(renderJournalMarkdown(dnsJournal(), OPTIONS)).toMatchInlineSnapshot(`
      "# Faultline simulation: test

      Scenario **test** (scenario.yaml), 1h. 21 changes; 2 of 5 components impacted; 1 of 2 expectations met.

      ## Timeline

      | Time | Subject | Change | Cause |
      | ---: | --- | --- | --- |
      | 00:01:00.0 | fault emptied | inactive → active | fault: DNS record db.example emptied |
      | 00:01:00.0 | record db.example | ok → empty | fault emptied: DNS record db.example emptied |
      | 00:01:00.5 | queue jobs | normal → backlogged | queue: consumers fail 1% of receives, whose messages come back after the visibility timeout (30s); messages arrive at 99 rps, consumers take up to 150 rps |
      | 00:01:00.8 | api, worker | up → degraded | dns db.example: 1.5% of clients' cached answers for db.example have expired (empty since 00:01:00) |
      | 00:01:30.2 | api, worker | degraded → down | dns db.example: 50.5% of clients' cached answers for db.example have expired (empty since 00:01:00) |
      | 00:15:00.0 | action fix | pending → done | action: fix-dns db.example (triggered at 00:15:00) |
      | 00:15:00.0 | fault emptied | active → ended | action fix: action fix (fix-dns) |
      | 00:15:00.0 | record db.example | empty → ok | action fix: action fix (fix-dns) |
      | 00:17:29.3 | api, worker | down → degraded | dns db.example: 50% of clients still hold the failed answer for db.example (cached since before 00:15:00) |
      | 00:19:56.3 | api, worker | degraded → up | recovered: serving normally again |
      | 00:20:30.0 | queue jobs | backlogged → normal | queue: backlog drained |
      | 00:25:00.0 | fault worker-down | inactive → active | fault: worker down |
      | 00:25:00.0 | worker | up → down | fault worker-down: worker down |
      | 00:25:05.0 | queue jobs | normal → backlogged | queue worker: messages arrive at 100 rps; consumers take up to 0 rps |
      | 00:30:00.0 | fault worker-down | active → ended | fault: fault worker-down ended at its scheduled time |
      | 00:30:00.0 | worker | down → up | recovered: serving normally again |
      | 00:40:00.0 | queue jobs | backlogged → normal | queue: backlog drained |

      ## Components (2 of 5 impacted)

      | Component | First impact | Recovered | Downtime | Degraded | Worst success | At the end |
      | --- | ---: | ---: | ---: | ---: | ---: | --- |
      | api | 00:01:00.8 | 00:19:56.3 | 15m59s | 2m56s | 0% | up |
      | worker | 00:01:00.8 | 00:30:00.0 | 20m59s | 2m56s | 0% | up |

      ## Workloads

      | Workload | Availability | Failed | Delayed | SLO | Budget burnt |
      | --- | ---: | ---: | ---: | ---: | ---: |
      | orders | 73.333% | 96k of 360k | 0 | 99.9% | 267× |

      ## Queues

      | Queue | Peak backlog | Peak at | Drained | Expired | Dead-lettered | Left at the end |
      | --- | ---: | ---: | ---: | ---: | ---: | ---: |
      | jobs | 30k | 00:30:00.0 | 00:40:00.0 | 0 | 0 | 0 |

      ## Expectations

      1 of 2 expectations met.

      | Met | Expectation | Expected | Actual | Where |
      | --- | --- | --- | --- | --- |
      | ✓ | time-to-recover api | ≤ 10m after 00:15:00 | 4m56s (at 00:19:56.3) | scenario.yaml:1 |
      | ✗ | impacted db | impacted | not impacted | scenario.yaml:1 |

      _Simulated by faultline 1.2.3: 1194 steps, 4 events._
      "
    `);
  });

  const hostile = renderJournalMarkdown(hostileJournal(), OPTIONS);

  it("escapes pipes in ids, so every row of every table has as many cells as its header", () => {
    expect(hostile).toContain("time-to-recover a\\|b");
    expect(hostile).not.toMatch(/a\|b/);
    for (const title of ["Timeline", "Components", "Workloads", "Queues", "Expectations"]) {
      const rows = tableAfter(hostile, title);
      expect(rows.length, title).toBeGreaterThan(2);
      const width = cellCount(rows[0] ?? "");
      for (const row of rows) expect(cellCount(row), row).toBe(width);
    }
  });

  it("keeps line breaks inside their cell and HTML out", () => {
    expect(hostile).toContain("line one<br>line two<br>line three");
    expect(hostile).not.toContain(SCRIPT);
    expect(hostile).not.toContain("<script");
    expect(hostile).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });
});
