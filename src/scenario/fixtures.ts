/**
 * @module scenario/fixtures
 * A small model with every sort of thing a scenario refers to (domains, components, a DNS
 * record, a queue, workloads, an alarm, model actions) and a scenario using every key.
 */
import { modelOf } from "../../test/helpers/memory.js";

export const MODEL_TEXT = `name: shop
domains:
  aws:
    contains:
      us-east-1: [use1-az1, use1-az2]
      us-west-2: [usw2-az1]
components:
  route53:
    kind: dns
    placement: global
    records:
      dynamodb.us-east-1.amazonaws.com: { targets: [dynamodb], ttl: 60s, managedBy: dns-enactor }
  dns-enactor: { kind: automation, placement: { region: us-east-1 } }
  dynamodb: { kind: kv-store, placement: { region: us-east-1 } }
  iam: { kind: identity, placement: global }
  db: { kind: database, placement: { region: us-east-1 } }
  api:
    kind: api
    placement: { zones: [use1-az1, use1-az2] }
    capacity: 1k rps
    needs:
      db: {}
      dynamodb: { via: dynamodb.us-east-1.amazonaws.com, auth: iam }
  ec2-dwfm: { kind: automation, placement: { region: us-east-1 }, needs: [dynamodb] }
  ec2-instances: { kind: compute, placement: { zones: [use1-az1, use1-az2] } }
  ec2-launch-api: { kind: api, plane: control, placement: { region: us-east-1 }, needs: [ec2-dwfm] }
  lambda-sqs-poller: { kind: serverless, placement: { region: us-east-1 }, needs: [dynamodb] }
  sqs: { kind: queue-service, placement: { region: us-east-1 } }
  cloudwatch: { kind: monitoring, placement: { region: us-east-1 }, observes: [api] }
queues:
  customer-events: { service: sqs, consumers: { lambda-sqs-poller: 100 rps } }
workloads:
  customer-requests: { entry: api, rate: 1k rps }
  checkout: { entry: api, rate: 200 rps }
alarms:
  api-errors: { monitor: cloudwatch, target: api, signal: error-rate, threshold: 5% }
actions:
  repair-endpoint-dns: { do: fix-dns, target: dynamodb.us-east-1.amazonaws.com, when: { alarm: api-errors }, after: 2h }
  restore-poller: { do: restart, target: lambda-sqs-poller, when: { at: 3h } }
`;

export const MODEL = modelOf(MODEL_TEXT);

export const FULL_SCENARIO = `# yaml-language-server: $schema=../../schema/faultline-scenario.schema.json
name: aws-us-east-1-2025
description: The October 2025 replay.
duration: 1d
# The run is deterministic: there is no seed to set.
startsAt: "2025-10-19T23:48:00-07:00"
faults:
  endpoint-emptied:
    kind: dns-empty
    target: dynamodb.us-east-1.amazonaws.com
    at: 0s
    until: { action: fix-endpoint }
  poller-stuck: { kind: down, target: lambda-sqs-poller, until: { action: restore-poller } }
  slow-db: { kind: latency, target: db, latency: 800ms, at: 10m, until: 40m }
  errors: { kind: error-rate, target: api, rate: 30% }
  half-gone: { kind: capacity-loss, target: api, fraction: 50% }
  split: { kind: partition, between: [us-east-1, us-west-2] }
  rush: { kind: surge, target: checkout, factor: 3 }
  cert: { kind: credential-expiry, target: api }
  bad-deploy:
    kind: bad-change
    target: api
    effect: down
    rollout: { waves: [1%, 10%, 50%, 100%], bake: 30m, rollbackOn: api-errors, rollbackAfter: 5m }
actions:
  fix-endpoint: { do: fix-dns, target: dynamodb.us-east-1.amazonaws.com, at: 2h37m }
  throttle-dwfm: { do: throttle, target: ec2-dwfm, at: 4h26m, rate: 200 rps }
  shed: { do: shed-load, target: api, when: { alarm: api-errors }, after: 5m, fraction: 50% }
disableModelActions: [repair-endpoint-dns]
expect:
  - availability: { workload: customer-requests, from: 0s, to: 1d, atLeast: 80% }
  - impacted: { component: ec2-instances, is: false }
  - timeToImpact: { component: iam, atMost: 3m }
  - timeToRecover: { component: ec2-launch-api, from: { fault: endpoint-emptied }, atLeast: 3h }
  - drainedBy: { queue: customer-events, by: 12h }
  - messagesLost: { queue: customer-events, atMost: 0 }
`;
