/**
 * Writes schema/faultline-model.schema.json from the validator's own zod schema, so the file
 * editors use can never drift from what `faultline validate` accepts. A test fails when the
 * committed file is stale: run `npm run schema` after changing src/model/schema.ts.
 */
import { writeFileSync } from "node:fs";
import { modelJsonSchema } from "../src/model/schema.js";

const target = new URL("../schema/faultline-model.schema.json", import.meta.url);
writeFileSync(target, `${JSON.stringify(modelJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${target.pathname.split("/").slice(-2).join("/")}\n`);
