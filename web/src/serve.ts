/**
 * The web UI (`faultline serve`): pick a model and scenarios from the project directory, edit
 * the YAML with its validation errors shown inline at their line, and see the audit and the
 * simulation re-run on every save — with a second scenario, side by side. The report part is
 * the same view as the HTML report. A save names the version of the file it was made on: when
 * the file changed on disk meanwhile, nothing is overwritten and the page offers to reload it
 * or to overwrite it.
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
import { ApiError, createApi } from "./serve-api.js";
import type { Diagnostic, ReportData } from "./types.js";

interface FileList {
  readonly root: string;
  readonly models: readonly string[];
  readonly scenarios: readonly string[];
  readonly initial: { readonly model: string | null };
}

const query = (params: Record<string, string>) => new URLSearchParams(params).toString();

export function startServe(
  root: HTMLElement,
  token: string | null,
  onView: (view: ReportView) => void,
): void {
  const api = createApi(token);
  const fileSelect = el("select", { id: "file", "aria-label": "file to edit" });
  const modelSelect = el("select", { id: "model", "aria-label": "model" });
  const scenarioSelect = el("select", { id: "scenario", "aria-label": "scenario" });
  const compareSelect = el("select", { id: "compare", "aria-label": "compare with" });
  const saveButton = el("button", { type: "button", id: "save" }, "Save and run");
  const status = el("p", { class: "status", id: "status", role: "status" });
  const reloadButton = el("button", { type: "button", id: "reload" }, "Reload from disk");
  const overwriteButton = el("button", { type: "button", id: "overwrite" }, "Overwrite with mine");
  const conflict = el("div", { class: "controls conflict", id: "conflict", hidden: "" });
  conflict.append(reloadButton, overwriteButton);
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
        conflict,
        errors,
      ),
      el("div", { class: "report-pane" }, reportBox),
    ),
  );

  let current: string | null = null;
  let view: ReportView | null = null;
  let latest: readonly Diagnostic[] = [];
  /** The version of each file as this page last read or saved it (null: not on disk). */
  const versions = new Map<string, string | null>();

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
      let res: { diagnostics: Diagnostic[] };
      try {
        res = await api("POST", "/api/validate", {
          body: { path: current, text: v.state.doc.toString(), model: modelSelect.value || null },
        });
      } catch (e) {
        setStatus(`Cannot check ${current}: ${(e as Error).message}`, true);
        return [];
      }
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
    const res = await api<{ text: string; version: string }>("GET", `/api/file?${query({ path })}`);
    versions.set(path, res.version);
    conflict.hidden = true;
    current = path;
    editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: res.text } });
    forceLinting(editor);
  }

  /** Runs can overlap (a save, then a change of scenario): only the latest one is shown. */
  let latestRun = 0;
  /** Cancels the run before, so the server drops it if it has not started. */
  let cancelRun: AbortController | null = null;

  async function run(): Promise<void> {
    const model = modelSelect.value;
    if (!model) return;
    const id = ++latestRun;
    cancelRun?.abort();
    const cancel = new AbortController();
    cancelRun = cancel;
    setStatus("Running the audit and the simulation…");
    document.body.dataset.ready = "false";
    const started = performance.now();
    try {
      let body: ReportData;
      try {
        body = await api<ReportData>("POST", "/api/run", {
          body: {
            model,
            scenario: scenarioSelect.value || null,
            compare: compareSelect.value || null,
          },
          signal: cancel.signal,
        });
      } catch (e) {
        if (id !== latestRun) return;
        setStatus(`The run failed: ${(e as Error).message}`, true);
        const diagnostics = e instanceof ApiError ? e.body.diagnostics : undefined;
        if (Array.isArray(diagnostics) && current !== null)
          showErrors(diagnostics as Diagnostic[], current);
        return;
      }
      if (id !== latestRun) return;
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
    const path = current;
    const version = versions.get(path) ?? null;
    try {
      const res = await api<{ diagnostics: Diagnostic[]; version: string; unchecked?: string }>(
        "PUT",
        `/api/file?${query({ path, model: modelSelect.value })}`,
        {
          body: editor.state.doc.toString(),
          headers: version === null ? { "if-none-match": "*" } : { "if-match": `"${version}"` },
        },
      );
      versions.set(path, res.version);
      conflict.hidden = true;
      latest = res.diagnostics;
      showErrors(latest, path);
      forceLinting(editor);
      if (res.unchecked !== undefined) {
        setStatus(`Saved ${path}, but it could not be checked: ${res.unchecked}`, true);
        return;
      }
      if (latest.some((d) => d.severity === "error")) {
        setStatus(`Saved ${path}; fix the problems above to re-run.`, true);
        return;
      }
      setStatus(`Saved ${path}.`);
      await run();
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        // Someone else's version is on disk: keep both until the user chooses.
        const theirs = e.body.version;
        overwriteButton.onclick = () => {
          versions.set(path, typeof theirs === "string" ? theirs : null);
          void save();
        };
        conflict.hidden = false;
        setStatus(`Not saved: ${e.message}.`, true);
        return;
      }
      setStatus(`Not saved: ${(e as Error).message}`, true);
    }
  }

  reloadButton.addEventListener("click", () => {
    if (current !== null) void open(current).then(() => setStatus(`Reloaded ${current}.`));
  });
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
