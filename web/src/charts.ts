/**
 * Charts over simulated time (uPlot): workload availability, queue backlogs, and offered load
 * against capacity — load includes retries, so a retry storm shows as load far above the
 * normal rate. Every chart draws the timeline's current moment as a vertical line.
 */
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { clock, count, fmt } from "../../src/sim/format.js";
import type { ViewRun } from "./types.js";

/** Series colours: Okabe–Ito, then greys, cycled. */
const COLOURS = [
  "#0072B2",
  "#D55E00",
  "#009E73",
  "#CC79A7",
  "#E69F00",
  "#56B4E9",
  "#000000",
  "#999999",
];
/**
 * Steps between time ticks, in seconds: the first that leaves room for the labels is used, so
 * ticks fall on whole minutes and hours (uPlot's own steps are decimal: 1000 s, 16m40s).
 */
export const TIME_STEPS: readonly number[] = [
  10,
  30,
  60,
  300,
  900,
  1800,
  3600,
  7200,
  3 * 3600,
  6 * 3600,
  12 * 3600,
  86400,
  2 * 86400,
  7 * 86400,
  14 * 86400,
  30 * 86400,
  91 * 86400,
  182 * 86400,
  366 * 86400,
];

/** Dash patterns as a second channel for lines of neighbouring colours. */
const DASHES: readonly (number[] | undefined)[] = [undefined, [6, 3], [2, 3], [10, 3, 2, 3]];

export interface ChartLine {
  readonly label: string;
  readonly values: readonly number[];
  /** Draw as a thin reference line (a capacity). */
  readonly reference?: boolean;
}

export interface ChartSpec {
  readonly title: string;
  readonly unit: string;
  readonly times: readonly number[];
  readonly lines: readonly ChartLine[];
  readonly format: (v: number) => string;
  readonly min?: number;
  readonly max?: number;
}

/** Ticks' times from the start, without the seconds when all are whole minutes (1d 06:00). */
export function tickLabels(ticks: readonly number[]): string[] {
  const minutes = ticks.every((t) => Math.round(t) % 60 === 0);
  return ticks.map((t) => (minutes ? clock(t).slice(0, -3) : clock(t)));
}

export class TimeChart {
  private readonly plot: uPlot;
  private time = 0;

  constructor(container: HTMLElement, spec: ChartSpec, width: number) {
    const cursorLine = {
      hooks: {
        draw: [
          (u: uPlot) => {
            const x = u.valToPos(this.time, "x", true);
            const { top, height } = u.bbox;
            u.ctx.save();
            u.ctx.strokeStyle = "#111827";
            u.ctx.lineWidth = 2;
            u.ctx.setLineDash([4, 4]);
            u.ctx.beginPath();
            u.ctx.moveTo(x, top);
            u.ctx.lineTo(x, top + height);
            u.ctx.stroke();
            u.ctx.restore();
          },
        ],
      },
    };
    const strokes = spec.lines.map((l, i) =>
      l.reference ? "#6b7280" : (COLOURS[i % COLOURS.length] as string),
    );
    const opts: uPlot.Options = {
      title: spec.title,
      width,
      height: 200,
      // Room on the right for the last time label.
      padding: [null, 36, null, null],
      plugins: [cursorLine],
      scales: {
        x: { time: false },
        y:
          spec.min !== undefined || spec.max !== undefined
            ? { range: [spec.min ?? null, spec.max ?? null] as uPlot.Range.MinMax }
            : {},
      },
      // The legend names the lines, each beside a swatch of its colour; the values at a moment
      // are in the side panel.
      legend: {
        live: false,
        markers: { fill: (_u: uPlot, i: number) => strokes[i - 1] ?? "transparent" },
      },
      axes: [
        {
          values: (_u, ticks) => {
            const labels = tickLabels(ticks);
            // Kept on the chart's element for automation: the canvas does not say.
            container.dataset.ticks = labels.join(",");
            return labels;
          },
          space: 70,
          incrs: [...TIME_STEPS],
        },
        { values: (_u, ticks) => ticks.map((v) => spec.format(v)), size: 64, label: spec.unit },
      ],
      series: [
        { label: "time", value: (_u, v) => (v == null ? "" : clock(v)) },
        ...spec.lines.map((l, i) => ({
          label: l.label,
          stroke: strokes[i] as string,
          width: l.reference ? 1 : 2,
          ...(l.reference
            ? { dash: [3, 3] }
            : DASHES[Math.floor(i / COLOURS.length) % DASHES.length] !== undefined && {
                dash: DASHES[Math.floor(i / COLOURS.length) % DASHES.length] as number[],
              }),
          value: (_u: uPlot, v: number | null) => (v == null ? "" : spec.format(v)),
          points: { show: false },
        })),
      ],
    };
    const data: uPlot.AlignedData = [
      Float64Array.from(spec.times),
      ...spec.lines.map((l) => Float64Array.from(l.values)),
    ];
    this.plot = new uPlot(opts, data, container);
  }

  setTime(t: number): void {
    this.time = t;
    this.plot.redraw(false, false);
  }

  destroy(): void {
    this.plot.destroy();
  }
}

/** The charts of one or two runs: lines of the second run are labelled with its name. */
export function chartSpecs(runs: readonly ViewRun[]): ChartSpec[] {
  const first = runs[0];
  if (first === undefined) return [];
  const times = first.journal.series.times;
  const suffix = (run: ViewRun) => (runs.length > 1 ? ` (${run.label})` : "");
  const sameGrid = runs.every((r) => r.journal.series.times.length === times.length);
  const from = sameGrid ? runs : [first];
  const specs: ChartSpec[] = [];

  /** One line per id of a series, per run. */
  const linesOf = (pick: (run: ViewRun) => Readonly<Record<string, readonly number[]>>) =>
    from.flatMap((run) =>
      Object.entries(pick(run)).map(([id, values]) => ({ label: `${id}${suffix(run)}`, values })),
    );
  const workloads = linesOf((run) => run.journal.series.workloads);
  if (workloads.length > 0)
    specs.push({
      title: "Workload availability (share of requests served)",
      unit: "served",
      times,
      lines: workloads,
      format: (v) => `${(v * 100).toFixed(v > 0.999 || v < 0.001 ? 0 : 1)}%`,
      min: 0,
      max: 1,
    });

  const backlogs = linesOf((run) => run.journal.series.backlog);
  if (backlogs.length > 0)
    specs.push({
      title: "Queue backlogs (messages)",
      unit: "messages",
      times,
      lines: backlogs,
      format: count,
      min: 0,
    });

  // Offered load as a multiple of capacity: components of very different sizes share one
  // scale, and 1× is where a component starts shedding or collapsing.
  const capacity = new Map(first.journal.components.map((c) => [c.id, c.capacity]));
  const loads = from.flatMap((run) =>
    Object.entries(run.journal.series.load).flatMap(([id, values]) => {
      const cap = capacity.get(id);
      return cap === null || cap === undefined || cap <= 0
        ? []
        : [{ label: `${id}${suffix(run)}`, values: values.map((v) => v / cap) }];
    }),
  );
  if (loads.length > 0)
    specs.push({
      title: "Offered load against capacity (retries included)",
      unit: "× capacity",
      times,
      lines: [...loads, { label: "capacity", values: times.map(() => 1), reference: true }],
      format: (v) => `${v.toFixed(v < 10 ? 1 : 0)}×`,
      min: 0,
    });

  // The time a request takes where it can queue: only the components whose latency moved (a
  // queue building, a slow dependency), so the chart shows what changed.
  const latencies = linesOf((run) => run.journal.series.latency ?? {}).filter(
    (l) => Math.max(...l.values) > Math.min(...l.values),
  );
  if (latencies.length > 0)
    specs.push({
      title: "Time a request takes (queueing included)",
      unit: "seconds",
      times,
      lines: latencies,
      format: fmt,
      min: 0,
    });
  return specs;
}
