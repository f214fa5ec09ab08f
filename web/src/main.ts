/**
 * Entry point of the report page: its data element holds what `faultline report` wrote.
 */
import "./style.css";
import { renderReport } from "./app.js";
import type { ReportData } from "./types.js";

performance.mark("faultline-script");
const root = document.getElementById("app") as HTMLElement;
const raw = document.getElementById("faultline-data")?.textContent ?? "null";
const data = JSON.parse(raw) as ReportData | string | null;
performance.mark("faultline-data");

if (data !== null && typeof data === "object") {
  const view = renderReport(root, data);
  window.faultline = view;
  // The graph is drawn (in its quick layout) and the page usable to read from here on.
  document.body.dataset.drawnMs = String(Math.round(performance.now()));
  void view.ready.then(() => {
    // How long the graph took to reach its final layout, from the start of navigation.
    document.body.dataset.readyMs = String(Math.round(performance.now()));
    document.body.dataset.ready = "true";
  });
} else {
  root.textContent =
    "This page is the Faultline report template: run `faultline report MODEL --out FILE` to fill it.";
}
