/**
 * @module analysis/rules
 * The audit's rules, in the order their findings are reported when severities tie.
 */
import type { Rule } from "../rule.js";
import type { RuleId } from "../types.js";
import { availabilityRule } from "./availability.js";
import { blastRadiusRule } from "./blast-radius.js";
import { capacityFitRule } from "./capacity-fit.js";
import { commonCauseRule } from "./common-cause.js";
import { configBlastRadiusRule } from "./config-blast-radius.js";
import { controlPlaneRule } from "./control-plane.js";
import { cycleRule } from "./cycle.js";
import { dnsSpofRule } from "./dns-spof.js";
import { monitoringDependenceRule } from "./monitoring-dependence.js";
import { recoveryRule } from "./recovery.js";
import { retryAmplificationRule } from "./retry-amplification.js";
import { sharedFailureDomainRule } from "./shared-failure-domain.js";
import { spofRule } from "./spof.js";

export const RULES: Readonly<Record<RuleId, Rule>> = {
  cycle: cycleRule,
  spof: spofRule as Rule,
  "shared-failure-domain": sharedFailureDomainRule,
  "dns-spof": dnsSpofRule,
  "monitoring-dependence": monitoringDependenceRule,
  "blast-radius": blastRadiusRule as Rule,
  recovery: recoveryRule as Rule,
  availability: availabilityRule as Rule,
  "control-plane": controlPlaneRule,
  "capacity-fit": capacityFitRule,
  "retry-amplification": retryAmplificationRule,
  "config-blast-radius": configBlastRadiusRule,
  "common-cause": commonCauseRule,
};
