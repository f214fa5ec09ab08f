/**
 * Azure and Google resources through the whole import, with the provider catalogue: Azure
 * resources lean on Resource Manager and on their resource group's region, managed identities
 * on Entra ID; Google services calling Google APIs on Service Control in their region.
 */
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { importModel } from "../import.js";

const resource = (
  provider: string,
  type: string,
  name: string,
  values: Record<string, unknown>,
) => ({
  address: `${type}.${name}`,
  mode: "managed",
  type,
  name,
  provider_name: `registry.terraform.io/hashicorp/${provider}`,
  values,
});

const state = {
  format_version: "1.0",
  terraform_version: "1.9.8",
  values: {
    root_module: {
      resources: [
        resource("azurerm", "azurerm_resource_group", "shop", {
          id: "/subscriptions/1/resourceGroups/shop",
          name: "shop",
          location: "West Europe",
        }),
        resource("azurerm", "azurerm_linux_web_app", "api", {
          id: "/subscriptions/1/resourceGroups/shop/providers/Microsoft.Web/sites/shop-api",
          name: "shop-api",
          location: "North Europe",
          resource_group_name: "shop",
          default_hostname: "shop-api.azurewebsites.net",
          identity: [{ type: "SystemAssigned" }],
        }),
        resource("google", "google_cloud_run_v2_service", "worker", {
          id: "projects/p/locations/europe-west1/services/worker",
          name: "worker",
          location: "europe-west1",
          uri: "https://worker-abc-ew.a.run.app",
        }),
      ],
    },
  },
};

describe("Terraform on Azure and Google, with the catalogue", () => {
  const r = importModel([{ path: "state.json", text: JSON.stringify(state, null, 2) }], {
    name: "clouds",
  });
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  const model = parse(r.yaml) as {
    components: Record<string, { placement: unknown; needs?: object; wants?: object }>;
  };

  it("places them in their regions", () => {
    expect(model.components.api?.placement).toEqual({ region: "northeurope" });
    expect(model.components.worker?.placement).toEqual({ region: "europe-west1" });
  });

  it("adds Resource Manager, the resource group's region and Entra ID to the Azure app", () => {
    expect(Object.keys(model.components.api?.wants ?? {})).toEqual([
      "azure.arm",
      "azure.arm-rg@westeurope",
    ]);
    expect(Object.keys(model.components.api?.needs ?? {})).toEqual(["azure.entra"]);
  });

  it("adds Service Control in its region to the Cloud Run service", () => {
    expect(Object.keys(model.components.worker?.needs ?? {})).toEqual([
      "google.service-control@europe-west1",
    ]);
  });
});
