import { describe, expect, it } from "vitest";
import { modelOf } from "../../../test/helpers/memory.js";
import { analyze } from "../analyze.js";

const implicit = (service: string, edge: string) =>
  `{ catalogue: aws.${service.toLowerCase()}, service: ${service}, edge: ${edge}, confidence: high, cite: [https://example.com/${service}] }`;

const MODEL = `name: stack
domains:
  aws:
    contains:
      eu-west-1: [euw1-a, euw1-b]
      us-east-1: {}
components:
  iam-cp: { kind: identity, plane: control, placement: { region: us-east-1 } }
  r53-cp: { kind: api, plane: control, placement: { region: us-east-1 } }
  iam: { kind: identity, placement: { region: eu-west-1 } }
  edge: { kind: cdn, placement: { global: true, provider: aws }, wants: { r53-cp: { degraded: new names fail, implicit: ${implicit("Route53", "provisioning")} } } }
  api:
    kind: api
    placement: { zones: [euw1-a, euw1-b], region: eu-west-1 }
    needs:
      iam: { implicit: ${implicit("IAM", "runtime")} }
    wants:
      iam-cp: { degraded: role changes fail, implicit: ${implicit("IAM", "provisioning")} }
      r53-cp: { degraded: new names fail, implicit: ${implicit("Route53", "provisioning")} }
`;

describe("rule control-plane", () => {
  it("names the control planes in another region, what fails while it is down, once per region", () => {
    const findings = analyze(modelOf(MODEL), { rules: ["control-plane"] }).findings;
    expect(findings).toHaveLength(1);
    const f = findings[0];
    expect(f?.severity).toBe("medium");
    expect(f?.key).toBe("control-plane:us-east-1");
    expect(f?.message).toBe(
      "2 components lean on the us-east-1 control plane via IAM, Route53, which no source declares: api (eu-west-1) via IAM, Route53; edge via Route53. While us-east-1 is down they keep serving what exists, but role changes fail; new names fail.",
    );
    expect(f?.components).toEqual(["api", "edge", "iam-cp", "r53-cp"]);
    // The data plane in the caller's own region is not another region's control plane.
    expect(f?.components).not.toContain("iam");
  });

  it("is high when a call on the request path goes to another region", () => {
    const m = modelOf(
      MODEL.replace(
        "iam: { kind: identity, placement: { region: eu-west-1 } }",
        "iam: { kind: identity, placement: { region: us-east-1 } }",
      ),
    );
    const f = analyze(m, { rules: ["control-plane"] }).findings[0];
    expect(f?.severity).toBe("high");
    expect(f?.message).toContain(
      "api also needs it to serve (IAM runtime), so us-east-1 going down takes it down with it.",
    );
  });

  it("says nothing of dependencies nobody marked implicit", () => {
    const plain = MODEL.replace(/, implicit: \{[^}]*\[[^\]]*\] \}/g, "").replace(
      /\{ implicit: \{[^}]*\[[^\]]*\] \} \}/g,
      "{}",
    );
    expect(plain).not.toContain("implicit");
    expect(analyze(modelOf(plain), { rules: ["control-plane"] }).findings).toEqual([]);
  });
});
