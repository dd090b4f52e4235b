import { PairliftError, type ErrorCode, type ErrorLocation } from "../errors.js";

/** A PairliftError with the HTTP status it is answered with. */
export class HttpError extends PairliftError {
  constructor(
    readonly statusCode: number,
    code: ErrorCode,
    message: string,
    where: ErrorLocation = {},
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(code, message, where);
  }
}

/** The body of every error response: `{ error: { code, message, field? } }`. */
export interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

/** The HTTP status for a PairliftError a pipeline or the log threw. */
export function statusOf(error: PairliftError): number {
  if (error instanceof HttpError) return error.statusCode;
  switch (error.code) {
    case "E_UNKNOWN_ID":
    case "E_NOT_FOUND":
      return 404;
    case "E_REMOTE":
      return 502;
    case "E_INDEX_FORMAT":
      return 500;
    case "E_AUTH":
      return 401;
    case "E_OVERLOAD":
      return 429;
    case "E_TIMEOUT":
      return 504;
    case "E_TOO_LARGE":
      return 413;
    case "E_UNAVAILABLE":
      return 503;
    default:
      return 400;
  }
}
