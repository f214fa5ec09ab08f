/**
 * @module sim/credentials
 * Calls with `auth` need a valid credential from their identity component. While the identity
 * is up, callers refresh their tokens; when it goes down, tokens with lifetime T renewed R
 * before expiry keep working — none expires for R, the last one T after the outage — so the
 * valid share falls linearly from 1 at R to 0 at T (a staircase, see `incremental.ageing`).
 * New authentication fails at once. A `credential-expiry` fault makes every `auth` call of its
 * component fail. The share is persistent per client: retries do not help against it.
 */
import { ageing } from "./incremental.js";
import { type CompState, DOWN_BELOW, EPS, type Sim, type Why } from "./state.js";

/** The share of a caller's calls whose credentials are valid, and why the others are not. */
export interface AuthFactor {
  readonly f: number;
  readonly cause?: Why;
}
/** Every credential valid (shared: asked for at most calls of most evaluations). */
const AUTH_OK: AuthFactor = { f: 1 };

export function authFactor(sim: Sim, caller: CompState, identity: number): AuthFactor {
  if (caller.credentialsExpired) {
    return {
      f: 0,
      cause: {
        mechanism: "auth",
        from: caller.faultCause?.from,
        fromKind: "fault",
        detail: { what: "credentials-expired", component: caller.c.id },
      },
    };
  }
  const id = sim.comps[identity] as CompState;
  if (id.s >= DOWN_BELOW) return AUTH_OK;
  const tokens = id.c.tokens;
  if (!tokens) {
    return {
      f: id.s,
      cause: {
        mechanism: "auth",
        from: id.c.id,
        fromKind: "component",
        detail: { what: "cannot-authenticate", identity: id.c.id },
      },
    };
  }
  // No token expires for refreshBefore; the last one a lifetime after the last refresh.
  const since = id.unavailableSince ?? sim.t;
  const valid = ageing(sim, since, tokens.ttl, tokens.ttl - tokens.refreshBefore);
  const f = Math.max(id.s, valid);
  if (f >= 1 - EPS) return AUTH_OK;
  return {
    f,
    cause: {
      mechanism: "auth",
      from: id.c.id,
      fromKind: "component",
      detail: {
        what: "tokens-expired",
        share: 1 - valid,
        caller: caller.c.id,
        identity: id.c.id,
        since,
        lifetime: tokens.ttl,
      },
    },
  };
}
