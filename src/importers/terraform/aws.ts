/**
 * @module importers/terraform/aws
 * The AWS provider's resource types (hashicorp/aws): components with their kind, service and
 * placement, and the parts that tell where and how they run. Attribute names are the
 * provider's (`availability_zone`, `vpc_config.subnet_ids`, …).
 */
import { flag, type TypeSpec, type Values, valueAt, valuesAt } from "./mapping.js";

const role = (attr: string) => (v: Values) => (valuesAt(v, attr).length > 0 ? ["role"] : []);

export const AWS_TYPES: Readonly<Record<string, TypeSpec>> = {
  // --- compute
  aws_instance: {
    role: "component",
    kind: "compute",
    service: "ec2",
    placement: "one-zone",
    primary: true,
    traits: role("iam_instance_profile"),
    handles: ["private_ip", "private_dns", "public_dns", "public_ip"],
    names: ["tags.Name"],
  },
  aws_autoscaling_group: {
    role: "component",
    kind: "compute",
    service: "autoscaling",
    placement: "zones",
    primary: true,
    routedFrom: ["target_group_arns"],
    names: ["name"],
  },
  aws_lambda_function: {
    role: "component",
    kind: "serverless",
    service: "lambda",
    placement: (v) => (valuesAt(v, "vpc_config.subnet_ids").length > 0 ? "zones" : "region"),
    primary: true,
    traits: (v) => (v.package_type === "Image" ? ["role", "container-image"] : ["role"]),
    handles: ["invoke_arn", "qualified_arn"],
    names: ["function_name"],
    refsFrom: ["environment.variables.*"],
  },
  aws_ecs_service: {
    role: "component",
    kind: "compute",
    service: "ecs",
    placement: "zones",
    primary: true,
    routedFrom: ["load_balancer.target_group_arn"],
    traits: (v) =>
      valuesAt(v, "service_registries.registry_arn").length > 0 ? ["service-discovery"] : [],
    names: ["name"],
  },
  aws_eks_cluster: {
    role: "component",
    kind: "container-platform",
    service: "eks",
    plane: "control",
    placement: "region",
    handles: ["endpoint"],
    names: ["name"],
  },
  // --- entry points and networking
  aws_lb: {
    role: "component",
    kind: "load-balancer",
    service: "elb",
    placement: "zones",
    handles: ["dns_name"],
    names: ["name"],
  },
  aws_api_gateway_rest_api: {
    role: "component",
    kind: "api",
    service: "apigateway",
    placement: "region",
    traits: (v) =>
      valuesAt(v, "endpoint_configuration.types").includes("EDGE") ||
      valuesAt(v, "endpoint_configuration.types").length === 0
        ? ["edge-optimized"]
        : ["regional"],
    handles: ["execution_arn"],
    names: ["name"],
  },
  aws_apigatewayv2_api: {
    role: "component",
    kind: "api",
    service: "apigateway",
    placement: "region",
    traits: () => ["regional"],
    handles: ["api_endpoint", "execution_arn"],
    names: ["name"],
  },
  aws_cloudfront_distribution: {
    role: "component",
    kind: "cdn",
    service: "cloudfront",
    placement: "global",
    traits: (v) => [
      ...(valueAt(v, "viewer_certificate.acm_certificate_arn") !== undefined
        ? ["custom-cert"]
        : []),
      ...(valueAt(v, "web_acl_id") !== undefined ? ["waf"] : []),
      ...(valuesAt(v, "default_cache_behavior.lambda_function_association.lambda_arn").length > 0 ||
      valuesAt(v, "ordered_cache_behavior.lambda_function_association.lambda_arn").length > 0
        ? ["lambda-edge"]
        : []),
    ],
    handles: ["domain_name", "hosted_zone_id"],
    refsFrom: ["origin.domain_name"],
  },
  aws_globalaccelerator_accelerator: {
    role: "component",
    kind: "load-balancer",
    service: "globalaccelerator",
    placement: "global",
    handles: ["dns_name"],
    names: ["name"],
  },
  aws_route53_zone: {
    role: "component",
    kind: "dns",
    service: "route53",
    placement: "global",
    handles: ["zone_id"],
  },
  aws_vpc_endpoint: {
    role: "component",
    kind: "other",
    service: "vpc-endpoint",
    placement: "zones",
    handles: ["dns_entry.*.dns_name"],
  },
  // --- data
  aws_s3_bucket: {
    role: "component",
    kind: "object-store",
    service: "s3",
    placement: "region",
    handles: ["bucket_regional_domain_name", "bucket_domain_name"],
    names: ["bucket"],
  },
  aws_dynamodb_table: {
    role: "component",
    kind: "kv-store",
    service: "dynamodb",
    placement: (v) => (valuesAt(v, "replica.region_name").length > 0 ? "regions" : "region"),
    regions: (v) => valuesAt(v, "replica.region_name"),
    traits: (v) => (valueAt(v, "server_side_encryption.kms_key_arn") !== undefined ? ["kms"] : []),
    handles: ["stream_arn"],
    names: ["name"],
  },
  aws_db_instance: {
    role: "component",
    kind: "database",
    service: "rds",
    placement: (v) => (flag(v, "multi_az") ? "zones" : "one-zone"),
    handles: ["address", "endpoint"],
    names: ["identifier"],
  },
  aws_rds_cluster: {
    role: "component",
    kind: "database",
    service: "rds",
    placement: "zones",
    handles: ["endpoint", "reader_endpoint"],
    names: ["cluster_identifier"],
  },
  aws_elasticache_replication_group: {
    role: "component",
    kind: "cache",
    service: "elasticache",
    placement: (v) => (flag(v, "automatic_failover_enabled") ? "zones" : "one-zone"),
    handles: [
      "primary_endpoint_address",
      "configuration_endpoint_address",
      "reader_endpoint_address",
    ],
    names: ["replication_group_id"],
  },
  aws_elasticache_cluster: {
    role: "component",
    kind: "cache",
    service: "elasticache",
    placement: "one-zone",
    handles: ["cache_nodes.address", "configuration_endpoint"],
    names: ["cluster_id"],
  },
  aws_opensearch_domain: {
    role: "component",
    kind: "database",
    service: "opensearch",
    placement: "zones",
    handles: ["endpoint"],
    names: ["domain_name"],
  },
  aws_memorydb_cluster: {
    role: "component",
    kind: "cache",
    service: "memorydb",
    placement: "zones",
    handles: ["cluster_endpoint.address"],
    names: ["name"],
  },
  aws_neptune_cluster: {
    role: "component",
    kind: "database",
    service: "neptune",
    placement: "zones",
    handles: ["endpoint", "reader_endpoint"],
    names: ["cluster_identifier"],
  },
  aws_dax_cluster: {
    role: "component",
    kind: "cache",
    service: "dax",
    placement: "zones",
    handles: ["cluster_address", "configuration_endpoint"],
    names: ["cluster_name"],
  },
  aws_secretsmanager_secret: {
    role: "component",
    kind: "kv-store",
    service: "secretsmanager",
    placement: "region",
    names: ["name"],
  },
  // --- messaging and orchestration
  aws_sqs_queue: {
    role: "component",
    kind: "queue-service",
    service: "sqs",
    placement: "region",
    handles: ["url"],
    names: ["name"],
  },
  aws_sns_topic: {
    role: "component",
    kind: "event-bus",
    service: "sns",
    placement: "region",
    names: ["name"],
  },
  aws_kinesis_stream: {
    role: "component",
    kind: "queue-service",
    service: "kinesis",
    placement: "region",
    names: ["name"],
  },
  aws_cloudwatch_event_bus: {
    role: "component",
    kind: "event-bus",
    service: "eventbridge",
    placement: "region",
    names: ["name"],
  },
  aws_sfn_state_machine: {
    role: "component",
    kind: "automation",
    service: "stepfunctions",
    placement: "region",
    names: ["name"],
  },
  aws_msk_cluster: {
    role: "component",
    kind: "queue-service",
    service: "msk",
    placement: "zones",
    handles: ["bootstrap_brokers", "bootstrap_brokers_tls"],
    names: ["cluster_name"],
  },
  // --- identity
  aws_cognito_user_pool: {
    role: "component",
    kind: "identity",
    service: "cognito",
    placement: "region",
    handles: ["endpoint"],
    names: ["name"],
  },
  aws_cognito_identity_pool: {
    role: "component",
    kind: "token-service",
    service: "cognito",
    placement: "region",
    traits: () => ["identity-pool"],
    names: ["identity_pool_name"],
  },

  // --- parts: where and how components run
  aws_subnet: { role: "subnet" },
  aws_iam_role: { role: "trait", traits: ["role", "role-managed"], byArn: true },
  aws_iam_instance_profile: { role: "pass" },
  aws_kms_key: { role: "trait", traits: ["kms"] },
  aws_acm_certificate: { role: "trait", traits: ["custom-cert", "tls"] },
  aws_wafv2_web_acl: { role: "trait", traits: ["waf"] },
  aws_waf_web_acl: { role: "trait", traits: ["waf"] },
  aws_ecs_task_definition: {
    role: "pass",
    // The container definitions are a JSON string: awslogs and secrets are read at task start.
    traits: (v) => {
      const defs = typeof v.container_definitions === "string" ? v.container_definitions : "";
      return [
        ...(defs.includes('"awslogs"') ? ["awslogs"] : []),
        ...(/"secrets"\s*:\s*\[\s*\{/.test(defs) ? ["secrets"] : []),
        ...(valuesAt(v, "task_role_arn").length > 0 ? ["role"] : []),
      ];
    },
  },
  aws_launch_template: { role: "pass" },
  aws_launch_configuration: { role: "pass" },
  aws_db_subnet_group: { role: "pass" },
  aws_elasticache_subnet_group: { role: "pass" },
  aws_lb_target_group: { role: "pass" },
  aws_lambda_alias: { role: "pass" },
  aws_eks_node_group: { role: "nodes", cluster: ["cluster_name"] },
  aws_route53_record: { role: "record" },
  aws_lambda_function_url: {
    role: "trait-of",
    target: ["function_name"],
    traits: () => ["function-url"],
  },
  aws_api_gateway_base_path_mapping: {
    role: "trait-of",
    target: ["api_id"],
    traits: () => ["custom-domain"],
  },
  aws_apigatewayv2_api_mapping: {
    role: "trait-of",
    target: ["api_id"],
    traits: () => ["custom-domain"],
  },
  aws_cognito_user_pool_domain: {
    role: "trait-of",
    target: ["user_pool_id"],
    traits: (v) => (valueAt(v, "certificate_arn") !== undefined ? ["custom-domain"] : []),
  },
  aws_lb_listener: {
    role: "glue",
    edges: [
      {
        from: "load_balancer_arn",
        to: "default_action.target_group_arn",
        traits: (v) => (valueAt(v, "certificate_arn") !== undefined ? ["tls"] : []),
      },
    ],
  },
  aws_lb_listener_rule: {
    role: "glue",
    edges: [{ from: "listener_arn", to: "action.target_group_arn" }],
  },
  aws_lb_target_group_attachment: {
    role: "glue",
    edges: [{ from: "target_group_arn", to: "target_id" }],
  },
  aws_autoscaling_attachment: {
    role: "glue",
    edges: [{ from: "lb_target_group_arn", to: "autoscaling_group_name" }],
  },
  aws_lambda_event_source_mapping: {
    role: "glue",
    edges: [{ from: "function_name", to: "event_source_arn", soft: "receives no events" }],
  },
  aws_api_gateway_integration: {
    role: "glue",
    edges: [{ from: "rest_api_id", to: "uri" }],
  },
  aws_apigatewayv2_integration: {
    role: "glue",
    edges: [{ from: "api_id", to: "integration_uri" }],
  },
  aws_s3_bucket_server_side_encryption_configuration: {
    role: "trait-of",
    target: ["bucket"],
    traits: (v) =>
      valuesAt(v, "rule.apply_server_side_encryption_by_default.sse_algorithm").some((a) =>
        a.startsWith("aws:kms"),
      )
        ? ["kms"]
        : [],
  },
  // Structural: networks, permissions and settings that place or secure components but are
  // not what fails on the request path (docs/importers.md lists them).
  ...Object.fromEntries(
    [
      "aws_vpc",
      "aws_security_group",
      "aws_security_group_rule",
      "aws_vpc_security_group_ingress_rule",
      "aws_vpc_security_group_egress_rule",
      "aws_route_table",
      "aws_route",
      "aws_route_table_association",
      "aws_internet_gateway",
      "aws_nat_gateway",
      "aws_eip",
      "aws_network_acl",
      "aws_iam_policy",
      "aws_iam_role_policy",
      "aws_iam_role_policy_attachment",
      "aws_iam_policy_attachment",
      "aws_iam_user",
      "aws_iam_group",
      "aws_lambda_permission",
      "aws_cloudwatch_log_group",
      "aws_cloudwatch_metric_alarm",
      "aws_kms_alias",
      "aws_s3_bucket_policy",
      "aws_s3_bucket_versioning",
      "aws_s3_bucket_public_access_block",
      "aws_s3_bucket_ownership_controls",
      "aws_s3_bucket_lifecycle_configuration",
      "aws_sqs_queue_policy",
      "aws_sns_topic_policy",
      "aws_sns_topic_subscription",
      "aws_ecs_cluster",
      "aws_ecs_cluster_capacity_providers",
      "aws_ecr_repository",
      "aws_ecr_lifecycle_policy",
      "aws_acm_certificate_validation",
      "aws_api_gateway_deployment",
      "aws_api_gateway_stage",
      "aws_api_gateway_resource",
      "aws_api_gateway_method",
      "aws_api_gateway_domain_name",
      "aws_apigatewayv2_domain_name",
      "aws_apigatewayv2_stage",
      "aws_apigatewayv2_route",
      "aws_service_discovery_private_dns_namespace",
      "aws_service_discovery_service",
      "aws_rds_cluster_instance",
      "aws_db_parameter_group",
      "aws_elasticache_parameter_group",
      "aws_key_pair",
      "aws_ssm_parameter",
      "aws_secretsmanager_secret_version",
      "aws_cloudfront_origin_access_control",
      "aws_cloudfront_origin_access_identity",
      "aws_eks_addon",
      "aws_iam_openid_connect_provider",
    ].map((t) => [t, { role: "structural" } as const]),
  ),
};
