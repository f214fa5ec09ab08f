/**
 * @module importers/cloudformation/types
 * CloudFormation resource types (and the SAM transform's) as the model sees them, in the same
 * shape as the Terraform tables (`../terraform/mapping.ts`), with paths into `Properties`.
 * The services and traits are the catalogue's, so a template and a Terraform state of the same
 * system get the same implicit dependencies.
 */
import { flag, type TypeSpec, type Values, valueAt, valuesAt } from "../terraform/mapping.js";

const has = (v: Values, path: string) =>
  valuesAt(v, path).length > 0 || valueAt(v, path) !== undefined || present(v, path);

/** True when the property exists at all, whatever its value (intrinsics are objects). */
function present(v: unknown, path: string): boolean {
  let x: unknown = v;
  for (const step of path.split(".")) {
    if (Array.isArray(x)) x = x[0];
    if (x === null || typeof x !== "object") return false;
    x = (x as Record<string, unknown>)[step];
  }
  return x !== undefined && x !== null;
}

const regional = (
  kind: Extract<TypeSpec, { role: "component" }>["kind"],
  service: string,
): TypeSpec => ({
  role: "component",
  kind,
  service,
  placement: "region",
});

const LAMBDA: TypeSpec = {
  role: "component",
  kind: "serverless",
  service: "lambda",
  primary: true,
  placement: (v) => (present(v, "VpcConfig.SubnetIds") ? "zones" : "region"),
  traits: (v) => (v.PackageType === "Image" ? ["role", "container-image"] : ["role"]),
};

export const CFN_TYPES: Readonly<Record<string, TypeSpec>> = {
  "AWS::EC2::Instance": {
    role: "component",
    kind: "compute",
    service: "ec2",
    primary: true,
    placement: "one-zone",
    traits: (v) => (has(v, "IamInstanceProfile") ? ["role"] : []),
  },
  "AWS::AutoScaling::AutoScalingGroup": {
    role: "component",
    kind: "compute",
    service: "autoscaling",
    primary: true,
    placement: "zones",
    routedFrom: ["TargetGroupARNs"],
  },
  "AWS::Lambda::Function": LAMBDA,
  "AWS::Serverless::Function": LAMBDA,
  "AWS::ECS::Service": {
    role: "component",
    kind: "compute",
    service: "ecs",
    primary: true,
    placement: "zones",
    routedFrom: ["LoadBalancers.TargetGroupArn"],
    traits: (v) => (has(v, "ServiceRegistries") ? ["service-discovery"] : []),
  },
  "AWS::EKS::Cluster": {
    role: "component",
    kind: "container-platform",
    service: "eks",
    plane: "control",
    placement: "region",
  },
  "AWS::ElasticLoadBalancingV2::LoadBalancer": {
    role: "component",
    kind: "load-balancer",
    service: "elb",
    placement: "zones",
  },
  "AWS::ElasticLoadBalancing::LoadBalancer": {
    role: "component",
    kind: "load-balancer",
    service: "elb",
    placement: "zones",
  },
  "AWS::ApiGateway::RestApi": {
    role: "component",
    kind: "api",
    service: "apigateway",
    placement: "region",
    traits: (v) =>
      valuesAt(v, "EndpointConfiguration.Types").some((t) => t !== "EDGE")
        ? ["regional"]
        : ["edge-optimized"],
  },
  "AWS::Serverless::Api": {
    role: "component",
    kind: "api",
    service: "apigateway",
    placement: "region",
    traits: (v) =>
      valueAt(v, "EndpointConfiguration") === "REGIONAL" ? ["regional"] : ["edge-optimized"],
  },
  "AWS::ApiGatewayV2::Api": {
    role: "component",
    kind: "api",
    service: "apigateway",
    placement: "region",
    traits: () => ["regional"],
  },
  "AWS::CloudFront::Distribution": {
    role: "component",
    kind: "cdn",
    service: "cloudfront",
    placement: "global",
    traits: (v) => [
      ...(has(v, "DistributionConfig.ViewerCertificate.AcmCertificateArn") ? ["custom-cert"] : []),
      ...(has(v, "DistributionConfig.WebACLId") ? ["waf"] : []),
      ...(has(v, "DistributionConfig.DefaultCacheBehavior.LambdaFunctionAssociations")
        ? ["lambda-edge"]
        : []),
    ],
  },
  "AWS::GlobalAccelerator::Accelerator": {
    role: "component",
    kind: "load-balancer",
    service: "globalaccelerator",
    placement: "global",
  },
  "AWS::Route53::HostedZone": {
    role: "component",
    kind: "dns",
    service: "route53",
    placement: "global",
  },
  "AWS::S3::Bucket": {
    role: "component",
    kind: "object-store",
    service: "s3",
    placement: "region",
    traits: (v) =>
      valuesAt(
        v,
        "BucketEncryption.ServerSideEncryptionConfiguration.ServerSideEncryptionByDefault.SSEAlgorithm",
      ).some((a) => a.startsWith("aws:kms"))
        ? ["kms"]
        : [],
  },
  "AWS::DynamoDB::Table": {
    role: "component",
    kind: "kv-store",
    service: "dynamodb",
    placement: "region",
    traits: (v) =>
      has(v, "SSESpecification.KMSMasterKeyId") || valueAt(v, "SSESpecification.SSEType") === "KMS"
        ? ["kms"]
        : [],
  },
  "AWS::DynamoDB::GlobalTable": {
    role: "component",
    kind: "kv-store",
    service: "dynamodb",
    placement: "regions",
    regions: (v) => valuesAt(v, "Replicas.Region"),
  },
  "AWS::RDS::DBInstance": {
    role: "component",
    kind: "database",
    service: "rds",
    placement: (v) => (flag(v, "MultiAZ") ? "zones" : "one-zone"),
  },
  "AWS::RDS::DBCluster": {
    role: "component",
    kind: "database",
    service: "rds",
    placement: "zones",
  },
  "AWS::ElastiCache::ReplicationGroup": {
    role: "component",
    kind: "cache",
    service: "elasticache",
    placement: (v) => (flag(v, "AutomaticFailoverEnabled") ? "zones" : "one-zone"),
  },
  "AWS::ElastiCache::CacheCluster": {
    role: "component",
    kind: "cache",
    service: "elasticache",
    placement: "one-zone",
  },
  "AWS::OpenSearchService::Domain": {
    role: "component",
    kind: "database",
    service: "opensearch",
    placement: "zones",
  },
  "AWS::MemoryDB::Cluster": {
    role: "component",
    kind: "cache",
    service: "memorydb",
    placement: "zones",
  },
  "AWS::Neptune::DBCluster": {
    role: "component",
    kind: "database",
    service: "neptune",
    placement: "zones",
  },
  "AWS::DAX::Cluster": { role: "component", kind: "cache", service: "dax", placement: "zones" },
  "AWS::MSK::Cluster": {
    role: "component",
    kind: "queue-service",
    service: "msk",
    placement: "zones",
  },
  "AWS::SQS::Queue": regional("queue-service", "sqs"),
  "AWS::SNS::Topic": regional("event-bus", "sns"),
  "AWS::Kinesis::Stream": regional("queue-service", "kinesis"),
  "AWS::Events::EventBus": regional("event-bus", "eventbridge"),
  "AWS::StepFunctions::StateMachine": regional("automation", "stepfunctions"),
  "AWS::SecretsManager::Secret": regional("kv-store", "secretsmanager"),
  "AWS::Cognito::UserPool": regional("identity", "cognito"),
  "AWS::Cognito::IdentityPool": {
    role: "component",
    kind: "token-service",
    service: "cognito",
    placement: "region",
    traits: () => ["identity-pool"],
  },
  "AWS::EC2::VPCEndpoint": {
    role: "component",
    kind: "other",
    service: "vpc-endpoint",
    placement: "zones",
  },

  "AWS::EC2::Subnet": { role: "subnet" },
  "AWS::IAM::Role": { role: "trait", traits: ["role", "role-managed"] },
  "AWS::IAM::InstanceProfile": { role: "pass" },
  "AWS::KMS::Key": { role: "trait", traits: ["kms"] },
  "AWS::CertificateManager::Certificate": { role: "trait", traits: ["custom-cert", "tls"] },
  "AWS::WAFv2::WebACL": { role: "trait", traits: ["waf"] },
  "AWS::ECS::TaskDefinition": {
    role: "pass",
    traits: (v) => [
      ...(valuesAt(v, "ContainerDefinitions.LogConfiguration.LogDriver").includes("awslogs")
        ? ["awslogs"]
        : []),
      ...(has(v, "ContainerDefinitions.Secrets") ? ["secrets"] : []),
      ...(has(v, "TaskRoleArn") ? ["role"] : []),
    ],
  },
  "AWS::EC2::LaunchTemplate": { role: "pass" },
  "AWS::AutoScaling::LaunchConfiguration": { role: "pass" },
  "AWS::RDS::DBSubnetGroup": { role: "pass" },
  "AWS::ElastiCache::SubnetGroup": { role: "pass" },
  "AWS::ElasticLoadBalancingV2::TargetGroup": { role: "pass" },
  "AWS::Lambda::Alias": { role: "pass" },
  "AWS::Lambda::Version": { role: "pass" },
  "AWS::EKS::Nodegroup": { role: "nodes", cluster: ["ClusterName"] },
  "AWS::Route53::RecordSet": { role: "record" },
  "AWS::ElasticLoadBalancingV2::Listener": {
    role: "glue",
    edges: [
      {
        from: "LoadBalancerArn",
        to: "DefaultActions.TargetGroupArn",
        traits: (v) => (has(v, "Certificates") ? ["tls"] : []),
      },
    ],
  },
  "AWS::ElasticLoadBalancingV2::ListenerRule": {
    role: "glue",
    edges: [{ from: "ListenerArn", to: "Actions.TargetGroupArn" }],
  },
  "AWS::Lambda::EventSourceMapping": {
    role: "glue",
    edges: [{ from: "FunctionName", to: "EventSourceArn", soft: "receives no events" }],
  },
  "AWS::ApiGateway::Method": {
    role: "glue",
    edges: [{ from: "RestApiId", to: "Integration.Uri" }],
  },
  "AWS::ApiGatewayV2::Integration": {
    role: "glue",
    edges: [{ from: "ApiId", to: "IntegrationUri" }],
  },
  "AWS::Lambda::Url": {
    role: "trait-of",
    target: ["TargetFunctionArn"],
    traits: () => ["function-url"],
  },
  "AWS::ApiGateway::BasePathMapping": {
    role: "trait-of",
    target: ["RestApiId"],
    traits: () => ["custom-domain"],
  },
  "AWS::ApiGatewayV2::ApiMapping": {
    role: "trait-of",
    target: ["ApiId"],
    traits: () => ["custom-domain"],
  },
  "AWS::Cognito::UserPoolDomain": {
    role: "trait-of",
    target: ["UserPoolId"],
    traits: (v) => (has(v, "CustomDomainConfig.CertificateArn") ? ["custom-domain"] : []),
  },
  ...Object.fromEntries(
    [
      "AWS::EC2::VPC",
      "AWS::EC2::SecurityGroup",
      "AWS::EC2::SecurityGroupIngress",
      "AWS::EC2::SecurityGroupEgress",
      "AWS::EC2::RouteTable",
      "AWS::EC2::Route",
      "AWS::EC2::SubnetRouteTableAssociation",
      "AWS::EC2::InternetGateway",
      "AWS::EC2::VPCGatewayAttachment",
      "AWS::EC2::NatGateway",
      "AWS::EC2::EIP",
      "AWS::IAM::Policy",
      "AWS::IAM::ManagedPolicy",
      "AWS::Lambda::Permission",
      "AWS::Logs::LogGroup",
      "AWS::CloudWatch::Alarm",
      "AWS::KMS::Alias",
      "AWS::S3::BucketPolicy",
      "AWS::SQS::QueuePolicy",
      "AWS::SNS::TopicPolicy",
      "AWS::SNS::Subscription",
      "AWS::ECS::Cluster",
      "AWS::ECR::Repository",
      "AWS::ApiGateway::Deployment",
      "AWS::ApiGateway::Stage",
      "AWS::ApiGateway::Resource",
      "AWS::ApiGateway::DomainName",
      "AWS::ApiGatewayV2::Stage",
      "AWS::ApiGatewayV2::Route",
      "AWS::ApiGatewayV2::DomainName",
      "AWS::ServiceDiscovery::PrivateDnsNamespace",
      "AWS::ServiceDiscovery::Service",
      "AWS::SSM::Parameter",
      "AWS::CloudFront::OriginAccessControl",
      "AWS::CloudFront::CloudFrontOriginAccessIdentity",
    ].map((t) => [t, { role: "structural" } as const]),
  ),
};
