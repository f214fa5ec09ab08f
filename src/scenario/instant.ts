/**
 * @module scenario/instant
 * A scenario's `startsAt`: an ISO 8601 date and time with its UTC offset, such as
 * 2025-10-19T23:48:00-07:00. The one place that reads it — the validator, the journal's
 * formatters and the story all go through `parseInstant`, so what is accepted and the wall
 * clock printed from it cannot disagree.
 *
 * The grammar is strict on purpose: a `T` between date and time, minutes required, seconds and
 * a fraction optional, and an offset that is `Z` or `±hh:mm` (not `±hhmm`, not lowercase `z`,
 * no surrounding space). The instant is computed from its fields, not by `Date.parse`, which
 * is lenient in ways that differ between engines.
 */

/** The accepted text, for the editor schema's `pattern`. */
export const INSTANT_PATTERN =
  "^(\\d{4})-(\\d{2})-(\\d{2})T(\\d{2}):(\\d{2})(?::(\\d{2})(\\.\\d+)?)?(Z|([+-])(\\d{2}):(\\d{2}))$";

const INSTANT = new RegExp(INSTANT_PATTERN);

export interface Instant {
  /** Milliseconds since the Unix epoch. */
  readonly epochMs: number;
  /** The offset from UTC it was written at, in minutes (−420 for −07:00). */
  readonly offsetMinutes: number;
}

/** The instant `text` names, or undefined when it is not one (see the module's grammar). */
export function parseInstant(text: string): Instant | undefined {
  const m = INSTANT.exec(text);
  if (m === null) return undefined;
  const [year, month, day, hour, minute] = [1, 2, 3, 4, 5].map((i) => Number(m[i]));
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const fraction = m[7] === undefined ? 0 : Number(`0${m[7]}`);
  const offsetHours = m[10] === undefined ? 0 : Number(m[10]);
  const offsetMins = m[11] === undefined ? 0 : Number(m[11]);
  const date = new Date(0);
  date.setUTCFullYear(year as number, (month as number) - 1, day as number);
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== (month as number) - 1 ||
    date.getUTCDate() !== day ||
    (hour as number) > 23 ||
    (minute as number) > 59 ||
    second > 59 ||
    offsetHours > 23 ||
    offsetMins > 59
  )
    return undefined;
  const offsetMinutes = (m[9] === "-" ? -1 : 1) * (offsetHours * 60 + offsetMins);
  const local =
    date.getTime() + (((hour as number) * 60 + (minute as number)) * 60 + second) * 1000;
  return {
    epochMs: local + Math.round(fraction * 1000) - offsetMinutes * 60_000,
    offsetMinutes,
  };
}

/**
 * The wall-clock time `ms` milliseconds after `instant`, at the instant's own offset: a Date
 * whose UTC fields read as that local time.
 */
export function localTimeAfter(instant: Instant, ms: number): Date {
  return new Date(instant.epochMs + instant.offsetMinutes * 60_000 + ms);
}
