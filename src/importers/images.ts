/**
 * @module importers/images
 * What a container image says a service is, for sources that describe containers (Kubernetes,
 * Compose): a database, a cache, a broker, a monitor or a web server by the name of its image,
 * or nothing (the caller then decides from whether the service is exposed).
 */
import type { ComponentKind } from "../model/types.js";

const IMAGE_KINDS: readonly [RegExp, ComponentKind][] = [
  [
    /(^|\/)(postgres|postgresql|mysql|mariadb|mongo|mongodb|cassandra|cockroach|cockroachdb|elasticsearch|opensearch|clickhouse)([:@]|$)/,
    "database",
  ],
  [/(^|\/)(redis|memcached|valkey|keydb)([:@]|$)/, "cache"],
  [/(^|\/)(kafka|rabbitmq|nats|pulsar|activemq)([:@]|$)/, "queue-service"],
  [
    /(^|\/)(prometheus|grafana|fluent-bit|fluentd|datadog|otel|opentelemetry-collector)/,
    "monitoring",
  ],
  [/(^|\/)(nginx|envoy|haproxy|traefik)([:@]|$)/, "web"],
];

export function kindOfImages(images: readonly string[]): ComponentKind | undefined {
  const lower = images.map((i) => i.toLowerCase());
  for (const [re, kind] of IMAGE_KINDS) if (lower.some((i) => re.test(i))) return kind;
  return undefined;
}
