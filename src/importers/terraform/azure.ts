/**
 * @module importers/terraform/azure
 * The Azure provider's resource types (hashicorp/azurerm). Azure places a resource in a
 * `location` and, when zonal or zone-redundant, in `zones` ("1", "2", "3") of that location;
 * zone ids become `<location>-<zone>` so that they are unique across regions. Every resource
 * belongs to a resource group, whose region carries its control-plane requests.
 */
import type { ComponentKind } from "../../model/types.js";
import { type ComponentSpec, type TypeSpec, type Values, valuesAt } from "./mapping.js";

const identity = (v: Values) =>
  valuesAt(v, "identity.type").length > 0 ? ["managed-identity"] : [];
const zonal = (v: Values) =>
  valuesAt(v, "zones").length > 0 || valuesAt(v, "zone").length > 0 ? "zones" : "region";

const component = (
  kind: ComponentKind,
  service: string,
  extra: Partial<ComponentSpec> = {},
): TypeSpec => ({
  role: "component",
  kind,
  service,
  placement: zonal,
  traits: identity,
  names: ["name"],
  ...extra,
});

export const AZURE_TYPES: Readonly<Record<string, TypeSpec>> = {
  azurerm_linux_virtual_machine: component("compute", "vm", {
    placement: "one-zone",
    primary: true,
  }),
  azurerm_windows_virtual_machine: component("compute", "vm", {
    placement: "one-zone",
    primary: true,
  }),
  azurerm_virtual_machine: component("compute", "vm", { placement: "one-zone", primary: true }),
  azurerm_linux_virtual_machine_scale_set: component("compute", "vmss", { primary: true }),
  azurerm_windows_virtual_machine_scale_set: component("compute", "vmss", { primary: true }),
  azurerm_kubernetes_cluster: component("container-platform", "aks", {
    plane: "control",
    placement: "region",
    handles: ["fqdn"],
  }),
  azurerm_linux_function_app: component("serverless", "functions", {
    placement: "region",
    primary: true,
    handles: ["default_hostname"],
  }),
  azurerm_windows_function_app: component("serverless", "functions", {
    placement: "region",
    primary: true,
    handles: ["default_hostname"],
  }),
  azurerm_linux_web_app: component("web", "app-service", {
    placement: "region",
    primary: true,
    handles: ["default_hostname"],
  }),
  azurerm_windows_web_app: component("web", "app-service", {
    placement: "region",
    primary: true,
    handles: ["default_hostname"],
  }),
  azurerm_container_app: component("compute", "container-apps", {
    placement: "region",
    primary: true,
    handles: ["latest_revision_fqdn"],
  }),
  azurerm_storage_account: component("object-store", "storage", {
    placement: "region",
    handles: ["primary_blob_host", "primary_blob_endpoint"],
  }),
  azurerm_cosmosdb_account: component("database", "cosmosdb", {
    placement: (v) => (valuesAt(v, "geo_location.location").length > 1 ? "regions" : "region"),
    regions: (v) => valuesAt(v, "geo_location.location"),
    handles: ["endpoint"],
  }),
  azurerm_mssql_server: component("database", "sql", {
    placement: "region",
    handles: ["fully_qualified_domain_name"],
  }),
  azurerm_postgresql_flexible_server: component("database", "postgresql", {
    placement: (v) => (valuesAt(v, "high_availability.mode").length > 0 ? "zones" : "one-zone"),
    handles: ["fqdn"],
  }),
  azurerm_mysql_flexible_server: component("database", "mysql", {
    placement: "one-zone",
    handles: ["fqdn"],
  }),
  azurerm_redis_cache: component("cache", "redis", { handles: ["hostname"] }),
  azurerm_servicebus_namespace: component("queue-service", "servicebus", {
    placement: "region",
    handles: ["endpoint"],
  }),
  azurerm_eventhub_namespace: component("queue-service", "eventhubs", { placement: "region" }),
  azurerm_key_vault: component("kv-store", "keyvault", {
    placement: "region",
    handles: ["vault_uri"],
  }),
  azurerm_lb: component("load-balancer", "load-balancer", { placement: "region" }),
  azurerm_application_gateway: component("load-balancer", "application-gateway"),
  azurerm_api_management: component("api", "api-management", {
    placement: "region",
    handles: ["gateway_url"],
  }),
  azurerm_dns_zone: component("dns", "dns", { placement: "global" }),
  azurerm_traffic_manager_profile: component("load-balancer", "traffic-manager", {
    placement: "global",
    handles: ["fqdn"],
  }),
  azurerm_cdn_frontdoor_profile: component("cdn", "front-door", { placement: "global" }),
  azurerm_frontdoor: component("cdn", "front-door", { placement: "global", handles: ["cname"] }),

  azurerm_resource_group: { role: "resource-group" },
  azurerm_subnet: { role: "structural" },
  azurerm_user_assigned_identity: { role: "trait", traits: ["managed-identity"] },
  azurerm_service_plan: { role: "pass" },
  azurerm_kubernetes_cluster_node_pool: { role: "nodes", cluster: ["kubernetes_cluster_id"] },
  azurerm_dns_a_record: { role: "record" },
  azurerm_dns_cname_record: { role: "record" },
  azurerm_cdn_frontdoor_endpoint: { role: "pass" },
  azurerm_cdn_frontdoor_origin_group: { role: "pass" },
  azurerm_cdn_frontdoor_origin: {
    role: "glue",
    edges: [{ from: "cdn_frontdoor_origin_group_id", to: "host_name" }],
  },
  ...Object.fromEntries(
    [
      "azurerm_virtual_network",
      "azurerm_network_security_group",
      "azurerm_network_security_rule",
      "azurerm_subnet_network_security_group_association",
      "azurerm_network_interface",
      "azurerm_public_ip",
      "azurerm_role_assignment",
      "azurerm_log_analytics_workspace",
      "azurerm_application_insights",
      "azurerm_monitor_diagnostic_setting",
      "azurerm_key_vault_secret",
      "azurerm_storage_container",
      "azurerm_mssql_database",
      "azurerm_cosmosdb_sql_database",
      "azurerm_cosmosdb_sql_container",
      "azurerm_servicebus_queue",
      "azurerm_servicebus_topic",
      "azurerm_cdn_frontdoor_route",
      "azurerm_container_app_environment",
      "azurerm_private_endpoint",
      "azurerm_private_dns_zone",
    ].map((t) => [t, { role: "structural" } as const]),
  ),
};
