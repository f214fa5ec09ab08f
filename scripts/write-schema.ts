/**
 * Writes the editor schemas from the validators' own zod schemas, so the files editors use can
 * never drift from what Faultline accepts: schema/faultline-model.schema.json from
 * src/model/schema.ts and schema/faultline-scenario.schema.json from src/scenario/schema.ts.
 * Tests fail when a committed file is stale: run `npm run schema` after changing either.
 */
import { writeFileSync } from "node:fs";
import { modelJsonSchema } from "../src/model/schema.js";
import { scenarioJsonSchema } from "../src/scenario/schema.js";

const files: readonly [string, () => Record<string, unknown>][] = [
  ["faultline-model.schema.json", modelJsonSchema],
  ["faultline-scenario.schema.json", scenarioJsonSchema],
];
for (const [name, schema] of files) {
  const target = new URL(`../schema/${name}`, import.meta.url);
  writeFileSync(target, `${JSON.stringify(schema(), null, 2)}\n`);
  process.stdout.write(`wrote schema/${name}\n`);
}
