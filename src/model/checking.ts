/**
 * @module model/checking
 * What the model's semantic checks share: how they report a problem and check a reference,
 * the defaults they fill, and the kinds they test against. `semantics.ts` runs the checks per
 * section; `placement.ts` and `dependency.ts` hold the two that need the most code.
 */
import type { DiagnosticCode } from "./diagnostics.js";
import type { PathKey, SourceFile } from "./source.js";
import type { HealthCheck } from "./types.js";

/** Defaults for values a model may leave out; documented in docs/model.md. */
export const DEFAULTS = {
  negativeTtl: 900,
  healthCheck: { interval: 30, threshold: 3, autoFailover: true } satisfies HealthCheck,
  retention: 4 * 86400,
  visibilityTimeout: 30,
  alarmPeriod: 60,
  breakerWindow: 10,
  breakerOpenFor: 30,
  breakerMinRequests: 20,
  breakerHalfOpenProbes: 1,
} as const;

export const IDENTITY_KINDS: ReadonlySet<string> = new Set(["identity", "token-service"]);

/** An entity as written: its value, and where. */
export interface Origin<T> {
  readonly value: T;
  readonly source: SourceFile;
  readonly path: readonly PathKey[];
}

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export type Report = (
  code: DiagnosticCode,
  source: SourceFile,
  path: readonly PathKey[],
  message: string,
  extra?: { suggestion?: string | undefined; expected?: string; at?: "key" | "value" },
) => void;
export type Refer = (
  source: SourceFile,
  path: readonly PathKey[],
  what: string,
  ref: string,
  known: Known,
  at?: "key" | "value",
) => boolean;
export type Known = ReadonlyMap<string, unknown> | ReadonlySet<string>;

export function healthCheckOf(
  h:
    | {
        interval: number;
        threshold: number;
        autoFailover?: boolean | undefined;
        maxRemoved?: number | undefined;
      }
    | undefined,
): HealthCheck {
  if (!h) return DEFAULTS.healthCheck;
  return {
    interval: h.interval,
    threshold: h.threshold,
    autoFailover: h.autoFailover ?? true,
    ...(h.maxRemoved !== undefined ? { maxRemoved: h.maxRemoved } : {}),
  };
}
