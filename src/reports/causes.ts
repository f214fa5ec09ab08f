/**
 * @module reports/causes
 * Causes in words: the one place where the engine's typed causes become the sentences of the
 * timeline, `explain`, the story, the Markdown and HTML reports and the web UI. Times inside a
 * sentence are written by the caller's `time` function, so a line keeps one clock (the offset
 * from the start of the run, or the wall clock when the scenario says when it starts).
 */
import type { Signal } from "../model/types.js";
import type { Cause, CauseDetail, FaultSummary } from "../sim/causes.js";
import { clock, count, fmt, pct, rate } from "../sim/format.js";

/** Writes a time (seconds from the start of the run) inside a sentence. */
export type TimeWriter = (t: number) => string;

/** One sentence for people: what the cause says, without its mechanism or source. */
export function causeText(cause: Cause, time: TimeWriter = clock): string {
  return detailText(cause.detail, time);
}

function detailText(d: CauseDetail, time: TimeWriter): string {
  switch (d.what) {
    case "fault":
      return faultText(d.fault);
    case "fault-ended":
      return d.scheduled
        ? `fault ${d.fault} ended at its scheduled time`
        : `fault ${d.fault} ended`;
    case "wave":
      return `change ${d.fault} reaches ${pct(d.share)} of ${d.target}`;
    case "rolled-back":
      return `rolled back after alarm ${d.alarm}`;
    case "replica-failover":
      return `${d.automatic ? "automatic" : "manual"} failover of ${d.primary} to ${d.replica}: the last ${fmt(d.lag)} of its work (about ${Math.round(d.atRisk)} requests) had not reached the replica`;
    case "state-lost":
      return d.backup === null
        ? `${d.component}'s state is lost and it has no backup: everything it served (about ${Math.round(d.atRisk)} requests) is gone`
        : `${d.component}'s state is lost: its last backup is from ${time(d.backup)}, so about ${Math.round(d.atRisk)} requests served since are at risk`;
    case "replica-failback":
      return `${d.primary}'s callers sent back to it from ${d.replica}`;
    case "content-published":
      return `${d.good ? "good" : "bad"} version of ${d.content} ${
        d.stages > 1 && !d.good ? `reaches stage ${d.stage + 1} of ${d.stages}` : "goes out"
      } (${d.readers.length === 0 ? "no readers" : d.readers.join(", ")})`;
    case "checks-partitioned":
      return `a partition cuts ${d.checker} from part of ${d.component}: its checks fail there, and its failover takes ${pct(d.removed)} of ${d.component}'s healthy capacity out`;
    case "content-expired":
      return `${pct(d.share)} of ${d.reader}'s hosts hold a copy of ${d.content} past its ttl while ${d.server} is down, and fail closed`;
    case "rollout-halted":
      return `health gate halts ${d.subject} before stage ${d.stage + 1}: ${d.impaired} is impaired`;
    case "content-version":
      return `${pct(d.share)} of ${d.reader}'s hosts ${
        d.how === "harm"
          ? `run a bad version of ${d.content}`
          : d.how === "rejected"
            ? `reject a version of ${d.content} and fail closed`
            : d.how === "stranded"
              ? `were failed by a bad version of ${d.content} and wait to be repaired by hand`
              : `hold a version of ${d.content} past their limits`
      }`;
    case "shards-lost":
      return `${d.domain} is down and ${d.component} has ${d.up} of ${d.of} shards left: the requests for the others fail`;
    case "placement-lost":
      return `${d.domain} is down and ${d.component} has ${d.up} of ${d.of} placements left`;
    case "below-minimum":
      return `${d.component} has ${pct(d.left)} of its capacity left, below the ${pct(d.minimum)} it needs to run: it stops and must restart`;
    case "stop-ended":
      return "what stopped it ended";
    case "restarting":
      return `restarting (${fmt(d.duration)}) after ${causeText(d.after, time)}`;
    case "waiting-for-dependencies":
      return "waiting for its hard dependencies to cold-start";
    case "waiting-for":
      return `waiting for ${d.component} to cold-start`;
    case "started":
      return "started";
    case "break-glass":
      return `started by break-glass action ${d.action}`;
    case "action-taken": {
      const detail = [
        d.rate !== undefined ? `at ${rate(d.rate)}` : "",
        d.fraction !== undefined ? `${pct(d.fraction)} shed` : "",
        d.capacity !== undefined ? `to ${rate(d.capacity)}` : "",
        d.factor !== undefined ? `× ${d.factor}` : "",
        d.maxWait !== undefined ? `admitting only under ${fmt(d.maxWait)} of waiting` : "",
        d.to !== undefined && d.over !== undefined
          ? `rising to ${rate(d.to)} over ${fmt(d.over)}`
          : "",
      ].filter(Boolean);
      const why =
        d.trigger.on === "time"
          ? `at ${time(d.trigger.at)}`
          : `alarm ${d.trigger.alarm} fired at ${time(d.trigger.firedAt)}`;
      return `${d.do} ${d.target}${detail.length > 0 ? ` ${detail.join(", ")}` : ""} (triggered ${why})`;
    }
    case "action-effect":
      return `action ${d.action} (${d.do})`;
    case "dependency-changed": {
      const what =
        d.disable === true
          ? `${d.from} stops calling ${d.to}`
          : d.disable === false
            ? `${d.from} calls ${d.to} again`
            : `${d.from} → ${d.to} changed`;
      const options = [
        d.via !== undefined ? (d.via === "none" ? "no shared DNS record" : `via ${d.via}`) : "",
        d.auth !== undefined ? (d.auth === "none" ? "no credentials" : `auth ${d.auth}`) : "",
        d.cache !== undefined ? `a response cache (ttl ${fmt(d.cache)})` : "",
      ].filter(Boolean);
      return `${what}${options.length > 0 ? `: ${options.join(", ")}` : ""} (scenario change ${d.change + 1})`;
    }
    case "action-skipped": {
      const c = d.condition;
      const found = d.found;
      const [needs, was] =
        "component" in c
          ? [`${c.component} ${c.is}`, `it is ${found}`]
          : "alarm" in c
            ? [`alarm ${c.alarm} in ${c.is}`, `it is in ${found}`]
            : "backlogAbove" in c
              ? [
                  `queue ${c.queue} holding more than ${count(c.backlogAbove)} messages`,
                  `it holds ${typeof found === "number" ? count(found) : found}`,
                ]
              : [
                  `the oldest message in queue ${c.queue} older than ${fmt(c.ageAbove)}`,
                  `it is ${typeof found === "number" ? fmt(found) : found} old`,
                ];
      const why =
        d.trigger.on === "time"
          ? `at ${time(d.trigger.at)}`
          : `alarm ${d.trigger.alarm} fired at ${time(d.trigger.firedAt)}`;
      return `skipped: ${d.do} needs ${needs}, and ${was} (triggered ${why})`;
    }
    case "alarm":
      return d.state === "insufficient-data"
        ? `no datapoint for ${d.signal} of ${d.target}: monitor ${d.monitor} was down for most of the last period of ${fmt(d.period)}`
        : d.state === "alarm"
          ? `${d.signal} of ${d.target} breached ${thresholdText(d.signal, d.threshold)} in ${d.breaching} of the last ${d.periods} periods of ${fmt(d.period)}`
          : `${d.signal} of ${d.target} within ${thresholdText(d.signal, d.threshold)}: ${d.breaching} of the last ${d.periods} periods of ${fmt(d.period)} breached, fewer than the ${d.datapoints} that fire it`;
    case "dns-server-down":
      return `DNS server ${d.server} is not answering`;
    case "dns-server-back":
      return `DNS server ${d.server} answers again`;
    case "failover-detected":
      return `health checks failed ${d.threshold}× every ${fmt(d.interval)}`;
    case "primary-healthy":
      return "primary targets healthy again";
    case "dns-answers":
      return d.answer === "ok"
        ? `${pct(d.share)} of clients still hold the failed answer for ${d.record} (cached since before ${time(d.since)})`
        : `${pct(d.share)} of clients' cached answers for ${d.record} have expired (${d.answer} since ${time(d.since)})`;
    case "credentials-expired":
      return `${d.component}'s credentials expired`;
    case "certificate-expired":
      return `${d.component}'s certificate expired: no client can connect to it`;
    case "cannot-authenticate":
      return `${d.identity} cannot authenticate calls`;
    case "tokens-expired":
      return `${pct(d.share)} of ${d.caller}'s tokens from ${d.identity} expired (no refresh since ${time(d.since)}; lifetime ${fmt(d.lifetime)})`;
    case "partition":
      return `a network partition separates ${d.caller} from ${d.callee}`;
    case "timeout":
      return `${d.callee} answers in ${fmt(d.latency)}, beyond ${d.caller}'s timeout of ${fmt(d.timeout)}`;
    case "breaker-open":
      return `circuit breaker to ${d.callee} is open (since ${time(d.since)})`;
    case "cache-ran-out":
      return `${causeText(d.inner, time)}; cached answers (${fmt(d.ttl)}${d.staleIfError > 0 ? ` + ${fmt(d.staleIfError)} stale` : ""}) ran out`;
    case "dependency-failing":
      return d.failing === undefined
        ? `${d.component} is failing`
        : `${d.component} is ${d.down ? "down" : "failing"} (${pct(d.failing)} of requests fail)`;
    case "overload":
      return `${fmt(d.wait)} of queued work at ${d.component} (offered ${rate(d.load)} against ${rate(d.capacity)}${d.warming !== undefined ? `, warming up at ${pct(d.warming)} of its capacity` : ""}): ${d.share === undefined ? "every request times out before it is served" : `${pct(d.share)} of requests time out before they are served, the share that holds the queue at its callers' timeout`}`;
    case "no-capacity":
      return `${d.component} has no capacity left`;
    case "throttled":
      return `throttled to ${rate(d.rate)} while offered ${rate(d.load)}`;
    case "shedding":
      return `shedding ${pct(d.fraction)} of its load`;
    case "checker-flaps":
      if (d.probe !== undefined)
        return `${d.checker}'s checks go through ${d.probe}, which fails: ${pct(d.failing)} of its checks fail although ${d.component} runs, and its automatic failover takes ${d.removed !== undefined ? `${pct(d.removed)} of ${d.component}'s` : `${d.component}'s`} healthy capacity out of service`;
      return d.removed !== undefined
        ? `${d.checker} flaps (${pct(d.failing)} of its checks fail) and its automatic failover takes ${pct(d.removed)} of ${d.component}'s healthy capacity out of service, as far as its velocity limit lets it`
        : `${d.checker} flaps (${pct(d.failing)} of its checks fail) and its automatic failover takes healthy capacity of ${d.component} out of service`;
    case "state-stale":
      return `the state it needs from queue ${d.queue} is stale: its oldest message is ${fmt(d.age)} old, past ${fmt(d.maxStaleness)}, so the ${pct(d.share)} of requests that need it fail`;
    case "several-small":
      return `several small failures add up to ${pct(d.failing)}: ${d.parts
        .map((x) => `${x.name} ${pct(x.failing)}`)
        .join(", ")}`;
    case "recovered":
      return "serving normally again";
    case "none":
      return "up";
    case "degraded-mode":
      return `soft dependency ${d.dependency ?? "?"} failing${d.mode ? `: running in degraded mode ${d.mode}` : ""}`;
    case "leases-lapse":
      return `leases lapse: renewals fail since ${time(d.since)}${d.inner ? ` (${causeText(d.inner, time)})` : ""}`;
    case "leases-reestablishing":
      return d.throttled
        ? `re-establishing ${count(d.lapsed)} lapsed leases at ${rate(d.rate)} (throttled by ${d.throttledBy ?? "an action"})`
        : `re-establishing ${count(d.lapsed)} lapsed leases at ${rate(d.rate)}`;
    case "buffer-full":
      return `its queue holds all its ${fmt(d.buffer)} buffer can: of ${rate(d.load)} offered, ${rate(d.admitted)} are served and the rest dropped`;
    case "queue-age-admission":
      return `admitting work only while it would wait under ${fmt(d.maxWait)}: ${rate(d.admitted)} of ${rate(d.load)} offered`;
    case "leases-collapse":
      return `${count(d.queued)} attempts to re-establish ${count(d.lapsed)} lapsed leases are queued at ${rate(d.rate)}: the one served next is ${fmt(d.oldest)} old, past the ${fmt(d.timeout)} its host waits, so the work is wasted while hosts send again`;
    case "dead-letters":
      return `dead letters from ${d.from.join(", ")}`;
    case "arrivals":
      return d.failShare > 0
        ? `consumers fail ${pct(d.failShare)} of receives, whose messages come back after the visibility timeout (${fmt(d.visibility)}); messages arrive at ${rate(d.inRate)}, consumers take up to ${rate(d.outRate)}`
        : `messages arrive at ${rate(d.inRate)}; consumers take up to ${rate(d.outRate)}`;
    case "drained":
      return "backlog drained";
    default: {
      const never: never = d;
      throw new Error(`causeText: unknown cause ${JSON.stringify(never)}`);
    }
  }
}

/** What a fault does, in words. */
export function faultText(f: FaultSummary): string {
  switch (f.kind) {
    case "down":
      return `${f.target} down`;
    case "data-loss":
      return `${f.target}'s state lost`;
    case "dns-empty":
      return `DNS record ${f.target} emptied`;
    case "dns-wrong":
      return `DNS record ${f.target} points at a wrong target`;
    case "dns-nxdomain":
      return `DNS record ${f.target} removed (NXDOMAIN)`;
    case "latency":
      return `${fmt(f.latency)} added latency on ${f.target}`;
    case "error-rate":
      return `${pct(f.rate)} of ${f.target}'s requests fail`;
    case "capacity-loss":
      return `${f.target} loses ${pct(f.fraction)} of its capacity`;
    case "partition":
      return `network partition between ${f.between[0]} and ${f.between[1]}`;
    case "surge":
      return `traffic on ${f.target} × ${f.factor}`;
    case "credential-expiry":
      return f.credential === "certificate"
        ? `${f.target}'s certificate expires`
        : `${f.target}'s credentials expire`;
    case "bad-change":
      return `bad change to ${f.target}`;
    case "bad-config":
      return `${f.target} gets a bad version`;
    case "config-oversize":
      return `${f.target} grows past its readers' limits`;
    case "key-removed":
      return `a key still in use removed from ${f.target}`;
    default: {
      const never: never = f;
      throw new Error(`faultText: unknown fault ${JSON.stringify(never)}`);
    }
  }
}

/** An alarm's threshold as its signal reads. */
export function thresholdText(signal: Signal, threshold: number): string {
  switch (signal) {
    case "error-rate":
    case "availability":
    case "saturation":
      return pct(threshold);
    case "latency":
      return fmt(threshold);
    case "backlog":
      return count(threshold);
    default: {
      const never: never = signal;
      throw new Error(`thresholdText: unknown signal ${JSON.stringify(never)}`);
    }
  }
}
