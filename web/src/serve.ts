/**
 * The web UI (`faultline serve`): pick a model and scenarios from the project directory, edit
 * the YAML with its validation errors shown inline at their line, and see the audit and the
 * simulation re-run on every save — with a second scenario, side by side. The report part is
 * the same view as the HTML report.
 */
import { yaml } from "@codemirror/lang-yaml";
import {
  type Diagnostic as CmDiagnostic,
  forceLinting,
  linter,
  lintGutter,
} from "@codemirror/lint";
import { EditorState } from "@codemirror/state";
import { keymap } from "@codemirror/view";
import { basicSetup, EditorView } from "codemirror";
import { type ReportView, renderReport } from "./app.js";
import { clear, el } from "./dom.js";
import type { Diagnostic, ReportData } from "./types.js";

interface FileList {
  readonly root: string;
  readonly models: readonly string[];
  readonly scenarios: readonly string[];
  readonly initial: { readonly model: string | null };
}

class ApiError extends Error {}

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.body = typeof body === "string" ? body : JSON.stringify(body);
    init.headers = { "content-type": typeof body === "string" ? "text/plain" : "application/json" };
  }
  const res = await fetch(path, init);
  const json = (await res.json()) as T & { error?: string };
  if (!res.ok && json.error !== undefined) throw new ApiError(json.error);
  return json;
}

const query = (params: Record<string, string>) => new URLSearchParams(params).toString();

export function startServe(root: HTMLElement, onView: (view: ReportView) => void): void {
  const fileSelect = el("select", { id: "file", "aria-label": "file to edit" });
  const modelSelect = el("select", { id: "model", "aria-label": "model" });
  const scenarioSelect = el("select", { id: "scenario", "aria-label": "scenario" });
  const compareSelect = el("select", { id: "compare", "aria-label": "compare with" });
  const saveButton = el("button", { type: "button", id: "save" }, "Save and run");
  const status = el("p", { class: "status", id: "status", role: "status" });
  const errors = el("ul", { class: "errors", id: "errors", "aria-label": "problems" });
  const editorBox = el("div", { id: "editor" });
  const reportBox = el("div", { id: "app-inner" });
  root.append(
    el(
      "div",
      { class: "serve" },
      el(
        "div",
        { class: "editor-pane" },
        el("h1", {}, "Faultline"),
        el(
          "div",
          { class: "controls" },
          el("label", {}, "Model ", modelSelect),
          el("label", {}, "Scenario ", scenarioSelect),
          el("label", {}, "Compare with ", compareSelect),
        ),
        el("div", { class: "controls" }, el("label", {}, "Edit ", fileSelect), saveButton),
        editorBox,
        status,
        errors,
      ),
      el("div", { class: "report-pane" }, reportBox),
    ),
  );

  let current: string | null = null;
  let view: ReportView | null = null;
  let latest: readonly Diagnostic[] = [];

  const showErrors = (list: readonly Diagnostic[], file: string) => {
    clear(errors);
    for (const d of list.filter((x) => x.file === file || x.file.endsWith(`/${file}`))) {
      const item = el(
        "li",
        { "data-line": String(d.line) },
        el("span", { class: "pos" }, `line ${d.line}:${d.column}`),
        ` ${d.message}${d.suggestion !== undefined ? ` — did you mean '${d.suggestion}'?` : ""}`,
      );
      item.addEventListener("click", () => {
        const line = editor.state.doc.line(Math.min(d.line, editor.state.doc.lines));
        editor.dispatch({
          selection: { anchor: line.from + Math.max(0, d.column - 1) },
          scrollIntoView: true,
        });
        editor.focus();
      });
      errors.append(item);
    }
  };

  const toCm = (list: readonly Diagnostic[], file: string): CmDiagnostic[] => {
    const doc = editor.state.doc;
    return list
      .filter((d) => d.file === file || d.file.endsWith(`/${file}`))
      .map((d) => {
        const line = doc.line(Math.max(1, Math.min(d.line, doc.lines)));
        const from = Math.min(line.to, line.from + Math.max(0, d.column - 1));
        // Underline to the end of the word at the position (at least one character).
        const rest = doc.sliceString(from, line.to);
        const word = /^[^\s:,\]}]+/.exec(rest)?.[0].length ?? 0;
        return {
          from,
          to: Math.min(line.to, from + Math.max(1, word)),
          severity: d.severity,
          message: `${d.message}${d.suggestion !== undefined ? ` — did you mean '${d.suggestion}'?` : ""}`,
        };
      });
  };

  const yamlLinter = linter(
    async (v) => {
      if (current === null) return [];
      const res = await api<{ diagnostics: Diagnostic[] }>("POST", "/api/validate", {
        path: current,
        text: v.state.doc.toString(),
        model: modelSelect.value || null,
      });
      latest = res.diagnostics;
      showErrors(latest, current);
      return toCm(latest, current);
    },
    { delay: 400 },
  );

  const editor = new EditorView({
    parent: editorBox,
    state: EditorState.create({
      doc: "",
      extensions: [
        basicSetup,
        yaml(),
        lintGutter(),
        yamlLinter,
        keymap.of([
          {
            key: "Mod-s",
            preventDefault: true,
            run: () => {
              void save();
              return true;
            },
          },
        ]),
      ],
    }),
  });

  const setStatus = (text: string, error = false) => {
    status.textContent = text;
    status.classList.toggle("error", error);
  };

  async function open(path: string): Promise<void> {
    const res = await api<{ text: string }>("GET", `/api/file?${query({ path })}`);
    current = path;
    editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: res.text } });
    forceLinting(editor);
  }

  /** Runs can overlap (a save, then a change of scenario): only the latest one is shown. */
  let latestRun = 0;

  async function run(): Promise<void> {
    const model = modelSelect.value;
    if (!model) return;
    const id = ++latestRun;
    setStatus("Running the audit and the simulation…");
    document.body.dataset.ready = "false";
    const started = performance.now();
    try {
      const res = await fetch("/api/run", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          model,
          scenario: scenarioSelect.value || null,
          compare: compareSelect.value || null,
        }),
      });
      const body = (await res.json()) as ReportData & {
        error?: string;
        diagnostics?: Diagnostic[];
      };
      if (id !== latestRun) return;
      if (!res.ok) {
        setStatus(body.error ?? `the run failed (${res.status})`, true);
        if (body.diagnostics && current !== null) showErrors(body.diagnostics, current);
        return;
      }
      const t = view?.time() ?? 0;
      view?.destroy();
      view = renderReport(reportBox, body);
      onView(view);
      await view.ready;
      if (id !== latestRun) return;
      view.setTime(t);
      document.body.dataset.ready = "true";
      setStatus(`Audited and simulated in ${Math.round(performance.now() - started)} ms.`);
    } catch (e) {
      setStatus(`the run failed: ${(e as Error).message}`, true);
    }
  }

  async function save(): Promise<void> {
    if (current === null) return;
    try {
      const res = await api<{ diagnostics: Diagnostic[] }>(
        "PUT",
        `/api/file?${query({ path: current, model: modelSelect.value })}`,
        editor.state.doc.toString(),
      );
      latest = res.diagnostics;
      showErrors(latest, current);
      forceLinting(editor);
      if (latest.some((d) => d.severity === "error")) {
        setStatus(`Saved ${current}; fix the problems above to re-run.`, true);
        return;
      }
      setStatus(`Saved ${current}.`);
      await run();
    } catch (e) {
      setStatus((e as Error).message, true);
    }
  }

  saveButton.addEventListener("click", () => void save());
  fileSelect.addEventListener("change", () => void open(fileSelect.value));
  for (const s of [modelSelect, scenarioSelect, compareSelect])
    s.addEventListener("change", () => void run());

  void (async () => {
    const files = await api<FileList>("GET", "/api/files");
    const fill = (select: HTMLSelectElement, list: readonly string[], none?: string) => {
      if (none !== undefined) select.append(el("option", { value: "" }, none));
      for (const f of list) select.append(el("option", { value: f }, f));
    };
    fill(modelSelect, files.models);
    fill(scenarioSelect, files.scenarios, "(none: audit only)");
    fill(compareSelect, files.scenarios, "(none)");
    fill(fileSelect, [...files.models, ...files.scenarios]);
    const first = files.initial.model ?? files.models[0] ?? null;
    if (first !== null) {
      modelSelect.value = first;
      fileSelect.value = first;
      await open(first);
      await run();
    } else setStatus(`No model found under ${files.root}.`, true);
  })().catch((e: unknown) => setStatus((e as Error).message, true));
}
