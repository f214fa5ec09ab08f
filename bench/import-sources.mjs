// Synthetic sources for the import benchmark (bench/import.mjs): a Terraform state and a
// Kubernetes set of a given size, in groups of resources that reference one another the way real
// ones do. Deterministic: the same size gives the same text.

const ZONES = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
const ACCOUNT = "111122223333";
const arn = (svc, res) => `arn:aws:${svc}:eu-west-1:${ACCOUNT}:${res}`;

/** A state of about `target` resources, in groups that reference one another. */
export function terraformState(target) {
  const resources = [];
  const add = (type, name, values, index) =>
    resources.push({
      address: `${type}.${name}${index === undefined ? "" : `[${index}]`}`,
      mode: "managed",
      type,
      name,
      ...(index === undefined ? {} : { index }),
      provider_name: "registry.terraform.io/hashicorp/aws",
      schema_version: 0,
      values,
      sensitive_values: {},
    });
  add("aws_vpc", "main", { id: "vpc-1", arn: arn("ec2", "vpc/vpc-1"), cidr_block: "10.0.0.0/16" });
  for (const [i, z] of ZONES.entries())
    add(
      "aws_subnet",
      "private",
      {
        id: `subnet-${i}`,
        arn: arn("ec2", `subnet/subnet-${i}`),
        availability_zone: z,
        vpc_id: "vpc-1",
      },
      i,
    );
  const subnets = ZONES.map((_, i) => `subnet-${i}`);
  for (let g = 0; resources.length < target; g++) {
    // One group: a service behind a load balancer, a function, its data and its name.
    const lb = arn("elasticloadbalancing", `loadbalancer/app/lb${g}/1`);
    const tg = arn("elasticloadbalancing", `targetgroup/tg${g}/1`);
    add(`aws_lb`, `lb_${g}`, {
      id: lb,
      arn: lb,
      name: `lb-${g}`,
      dns_name: `lb-${g}.eu-west-1.elb.amazonaws.com`,
      subnets,
    });
    add("aws_lb_target_group", `tg_${g}`, { id: tg, arn: tg, name: `tg-${g}`, vpc_id: "vpc-1" });
    add("aws_lb_listener", `l_${g}`, {
      id: `${lb}/l`,
      arn: `${lb}/l`,
      load_balancer_arn: lb,
      default_action: [{ type: "forward", target_group_arn: tg }],
    });
    add("aws_autoscaling_group", `asg_${g}`, {
      id: `asg-${g}`,
      arn: arn("autoscaling", `asg-${g}`),
      name: `asg-${g}`,
      vpc_zone_identifier: subnets,
      target_group_arns: [tg],
    });
    add("aws_iam_role", `fn_${g}`, {
      id: `fn-${g}`,
      arn: `arn:aws:iam::${ACCOUNT}:role/fn-${g}`,
      name: `fn-${g}`,
    });
    add("aws_dynamodb_table", `t_${g}`, {
      id: `table-${g}`,
      arn: arn("dynamodb", `table/table-${g}`),
      name: `table-${g}`,
    });
    add("aws_sqs_queue", `q_${g}`, {
      id: `https://sqs.eu-west-1.amazonaws.com/${ACCOUNT}/q-${g}`,
      arn: arn("sqs", `q-${g}`),
      name: `q-${g}`,
      url: `https://sqs.eu-west-1.amazonaws.com/${ACCOUNT}/q-${g}`,
    });
    add("aws_lambda_function", `fn_${g}`, {
      id: `fn-${g}`,
      arn: arn("lambda", `function:fn-${g}`),
      function_name: `fn-${g}`,
      role: `arn:aws:iam::${ACCOUNT}:role/fn-${g}`,
      environment: [
        {
          variables: {
            TABLE: `table-${g}`,
            QUEUE: `https://sqs.eu-west-1.amazonaws.com/${ACCOUNT}/q-${g}`,
            UPSTREAM: `https://lb-${g}.eu-west-1.elb.amazonaws.com/api`,
          },
        },
      ],
    });
    add("aws_db_subnet_group", `dbs_${g}`, {
      id: `dbs-${g}`,
      arn: arn("rds", `subgrp:dbs-${g}`),
      name: `dbs-${g}`,
      subnet_ids: subnets,
    });
    add("aws_db_instance", `db_${g}`, {
      id: `db-${g}`,
      arn: arn("rds", `db:db-${g}`),
      identifier: `db-${g}`,
      multi_az: true,
      availability_zone: ZONES[g % 3],
      address: `db-${g}.cx1.eu-west-1.rds.amazonaws.com`,
      db_subnet_group_name: `dbs-${g}`,
    });
  }
  return JSON.stringify(
    {
      format_version: "1.0",
      terraform_version: "1.9.8",
      values: { root_module: { resources: resources.slice(0, target) } },
    },
    null,
    2,
  );
}

/** A multi-document YAML stream of about `target` Kubernetes objects. */
export function kubernetesSet(target) {
  const docs = [];
  for (let i = 0; docs.length < target; i++) {
    const app = `svc-${i}`;
    const next = `svc-${i + 1}`;
    docs.push(`apiVersion: v1
kind: ConfigMap
metadata: { name: ${app}-config, namespace: shop }
data:
  UPSTREAM_URL: http://${next}.shop.svc.cluster.local:8080
  DATABASE_URL: postgres://app@db-${i}.cx1.eu-west-1.rds.amazonaws.com:5432/app
  MODE: production`);
    docs.push(`apiVersion: apps/v1
kind: Deployment
metadata: { name: ${app}, namespace: shop }
spec:
  replicas: 3
  selector: { matchLabels: { app: ${app} } }
  template:
    metadata: { labels: { app: ${app} } }
    spec:
      topologySpreadConstraints:
        - { maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, labelSelector: { matchLabels: { app: ${app} } } }
      containers:
        - name: ${app}
          image: registry.example.com/${app}:1.0.${i}
          envFrom: [{ configMapRef: { name: ${app}-config } }]
          readinessProbe: { httpGet: { path: /ready, port: 8080 }, initialDelaySeconds: 5, periodSeconds: 5 }`);
    docs.push(`apiVersion: v1
kind: Service
metadata: { name: ${app}, namespace: shop }
spec: { selector: { app: ${app} }, ports: [{ port: 8080 }] }`);
    docs.push(`apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: ${app}, namespace: shop }
spec: { scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: ${app} }, minReplicas: 3, maxReplicas: 10 }`);
    docs.push(`apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: ${app}, namespace: shop }
spec: { minAvailable: 2, selector: { matchLabels: { app: ${app} } } }`);
  }
  docs.length = target - 1;
  docs.push(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: shop, namespace: shop }
spec:
  ingressClassName: alb
  rules: [{ host: shop.example.com, http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: svc-0, port: { number: 8080 } } } }] } }]`);
  return `${docs.join("\n---\n")}\n`;
}
