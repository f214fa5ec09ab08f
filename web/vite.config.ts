/**
 * Builds the front end into self-contained HTML files, scripts and styles inlined, no request
 * at load: dist/web/index.html, the report, whose data element `faultline report` fills; and,
 * with `--mode serve`, dist/web/serve.html, the web UI (the report view beside an editor). Two
 * builds, because one file cannot be split, and the report need not carry the editor.
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import { viteSingleFile } from "vite-plugin-singlefile";

export default defineConfig(({ mode }) => ({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "./",
  logLevel: "warn",
  plugins: [viteSingleFile({ removeViteModuleLoader: true })],
  build: {
    outDir: fileURLToPath(new URL("../dist/web", import.meta.url)),
    // The report is built first and empties the directory; the UI is added beside it.
    emptyOutDir: mode !== "serve",
    rollupOptions: {
      checks: { pluginTimings: false },
      input: fileURLToPath(
        new URL(mode === "serve" ? "serve.html" : "index.html", import.meta.url),
      ),
    },
    target: "es2022",
    // One file is the point: everything is inlined, so the bundle is large by design.
    chunkSizeWarningLimit: 4096,
    reportCompressedSize: false,
  },
}));
