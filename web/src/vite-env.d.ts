/** Imports Vite resolves at build time: `?raw` gives a file's text as a string. */
declare module "*?raw" {
  const text: string;
  export default text;
}
