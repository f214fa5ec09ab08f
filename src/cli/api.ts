/**
 * @module cli/api
 * The library API as the CLI reaches it: `src/index.ts`, and nothing else, loaded on first
 * use. `faultline --version`, `--help` and usage errors answer without it; a command loads it
 * before it parses its own arguments (see `program.ts`), so option parsers may read it
 * synchronously through `loadedApi()`.
 */
export type Api = typeof import("../index.js");

let loading: Promise<Api> | undefined;
let loaded: Api | undefined;

export async function api(): Promise<Api> {
  loading ??= import("../index.js").then((m) => {
    loaded = m;
    return m;
  });
  return loading;
}

/** The API if it has been loaded, else undefined (nothing that needs it has run yet). */
export function loadedApi(): Api | undefined {
  return loaded;
}

/** The API, which a command's option parsers may count on: it is loaded before they run. */
export function requireApi(): Api {
  if (loaded === undefined) throw new Error("the library API is read before it was loaded");
  return loaded;
}
