/**
 * @module importers/registry
 * Every importer, in the order formats are detected: the most specific first, Kubernetes last,
 * since it takes any object with an `apiVersion` and a `kind` that Istio and Backstage leave.
 */

import { backstageImporter } from "./backstage.js";
import { cloudFormationImporter } from "./cloudformation/index.js";
import { composeImporter } from "./compose.js";
import { istioImporter } from "./istio.js";
import { kubernetesImporter } from "./kubernetes/index.js";
import { terraformImporter } from "./terraform/index.js";
import { tracesImporter } from "./traces/index.js";
import type { Importer } from "./types.js";

export const IMPORTERS: readonly Importer[] = [
  terraformImporter,
  cloudFormationImporter,
  composeImporter,
  backstageImporter,
  istioImporter,
  tracesImporter,
  kubernetesImporter,
];
