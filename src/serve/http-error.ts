/**
 * @module serve/http-error
 * A refusal with its HTTP status and a message for the person behind the request, and the
 * problems found when the refusal is about a file's content. Plain data, so it crosses from the
 * worker thread to the server unchanged.
 */
import type { Diagnostic } from "../model/diagnostics.js";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly diagnostics?: readonly Diagnostic[],
    /** Extra fields of the JSON answer (e.g. the file's current version on a conflict). */
    readonly extra?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = "HttpError";
  }
}
