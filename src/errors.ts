/**
 * One error type for everything pairlift reports to a user. Each carries a stable code (for
 * scripts and tests) and, where it applies, where the problem is: file, line and field.
 */
export type ErrorCode =
  | "E_USAGE" // bad command-line or option usage
  | "E_CONFIG" // invalid option or configuration value
  | "E_PARSE" // malformed input (JSON, TSV, TREC, CSV)
  | "E_FIELD" // a required field is missing or has the wrong type
  | "E_DUPLICATE_ID" // the same id appears twice where ids must be unique
  | "E_UNKNOWN_ID" // an id refers to something that does not exist
  | "E_NOT_FOUND" // a file or directory is missing
  | "E_INDEX_FORMAT" // an index on disk is corrupt or from an unknown version
  | "E_QUERY" // a query that cannot be run (empty, too long)
  | "E_REMOTE" // a remote service (hosted embedding API) failed, refused or answered malformed data
  | "E_AUTH" // a protected route without a valid bearer token (serve's admin routes)
  | "E_OVERLOAD" // too much work in flight; retry later (serve's concurrency limit)
  | "E_TIMEOUT" // work did not finish within its time limit
  | "E_TOO_LARGE" // a request or input over a size limit
  | "E_UNAVAILABLE"; // not ready yet, or shutting down

export interface ErrorLocation {
  file?: string;
  line?: number;
  field?: string;
}

export class PairliftError extends Error {
  readonly code: ErrorCode;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly field: string | undefined;
  /** The message without its location (file, line, field). */
  readonly reason: string;

  constructor(code: ErrorCode, message: string, where: ErrorLocation = {}, cause?: unknown) {
    super(formatMessage(message, where), cause === undefined ? undefined : { cause });
    this.name = "PairliftError";
    this.code = code;
    this.reason = message;
    this.file = where.file;
    this.line = where.line;
    this.field = where.field;
  }
}

function formatMessage(message: string, where: ErrorLocation): string {
  const place =
    where.file === undefined
      ? ""
      : where.line === undefined
        ? `${where.file}: `
        : `${where.file}:${where.line}: `;
  const field = where.field === undefined ? "" : `field "${where.field}": `;
  return `${place}${field}${message}`;
}

export function isPairliftError(error: unknown): error is PairliftError {
  return error instanceof PairliftError;
}
