/**
 * @module importers/terraform/place
 * Regions and zones of Terraform resources, per provider. A resource's region comes from its
 * own `region` or `location`, else from its ARN, else from its zone, else from the provider's
 * configuration in a plan. Zone ids are the provider's names (`eu-west-1a`,
 * `europe-west1-b`); Azure's zone numbers are per region, so they become `westeurope-1`.
 */
import { valueAt, valuesAt } from "./mapping.js";

export type Cloud = "aws" | "azure" | "google";

export function cloudOf(provider: string): Cloud | undefined {
  if (provider === "aws") return "aws";
  if (provider === "azurerm") return "azure";
  if (provider === "google" || provider === "google-beta") return "google";
  return undefined;
}

/** `West Europe` → `westeurope`, as Azure names regions in ids. */
function azureRegion(location: string): string {
  return location.toLowerCase().replace(/\s+/g, "");
}

/** The region of a zone: `eu-west-1a` → `eu-west-1`, `europe-west1-b` → `europe-west1`. */
export function regionOfZone(cloud: Cloud, zone: string): string | undefined {
  if (cloud === "aws") return /^([a-z]{2}(-gov)?-[a-z]+-\d+)[a-z]$/.exec(zone)?.[1];
  if (cloud === "google") return /^([a-z]+-[a-z]+\d+)-[a-z]$/.exec(zone)?.[1];
  return /^(.+)-\d$/.exec(zone)?.[1];
}

export function regionOf(
  cloud: Cloud,
  v: Readonly<Record<string, unknown>>,
  configured: string | undefined,
): string | undefined {
  if (cloud === "azure") {
    const location = valueAt(v, "location");
    return location !== undefined ? azureRegion(location) : configured;
  }
  const own = valueAt(v, "region");
  if (own !== undefined && !/\s/.test(own)) return own;
  if (cloud === "google") {
    const location = valueAt(v, "location");
    if (location !== undefined && /^[a-z]+-[a-z]+\d+$/.test(location)) return location;
    const zone = valueAt(v, "zone") ?? (location !== undefined ? location : undefined);
    if (zone !== undefined) return regionOfZone(cloud, zone) ?? configured;
    return configured;
  }
  // Some resources (an ECS service) are known by an ARN in their `id` and have no `arn`.
  const arn = [valueAt(v, "arn"), valueAt(v, "id")].find((x) => x?.startsWith("arn:"));
  const fromArn = arn?.split(":")[3];
  if (fromArn) return fromArn;
  const zone = valueAt(v, "availability_zone");
  if (zone !== undefined) return regionOfZone(cloud, zone) ?? configured;
  return configured;
}

/** Zones a resource names itself (not through subnets). */
export function ownZones(
  cloud: Cloud,
  v: Readonly<Record<string, unknown>>,
  region: string | undefined,
): string[] {
  if (cloud === "azure") {
    const zones = [
      ...valuesAt(v, "zones"),
      ...valuesAt(v, "zone"),
      ...valuesAt(v, "default_node_pool.zones"),
    ];
    return region === undefined ? [] : zones.map((z) => `${region}-${z}`);
  }
  if (cloud === "google") {
    const location = valueAt(v, "location");
    return [
      ...valuesAt(v, "zone"),
      ...valuesAt(v, "node_locations"),
      ...valuesAt(v, "distribution_policy_zones"),
      ...(location !== undefined && /-[a-z]$/.test(location) ? [location] : []),
    ];
  }
  return [
    ...valuesAt(v, "availability_zone"),
    ...valuesAt(v, "availability_zones"),
    ...valuesAt(v, "preferred_cache_cluster_azs"),
  ];
}
