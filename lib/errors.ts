/**
 * The application's one error type with a closed set of codes. Services throw it; the tRPC
 * layer and the REST wrappers map the code to a transport status in one table each.
 * `message` is for the user: a sentence naming the problem (and the fix when there is one).
 */
export const APP_ERROR_CODES = [
  "UNAUTHORIZED",
  "FORBIDDEN",
  "NOT_FOUND",
  "INVALID_INPUT",
  "CONFLICT",
  "LIMIT_EXCEEDED",
  "UNPROCESSABLE",
  "SANDBOX_TIMEOUT",
  "UNAVAILABLE",
  "INTERNAL",
] as const;
export type AppErrorCode = (typeof APP_ERROR_CODES)[number];

export class AppError extends Error {
  readonly code: AppErrorCode;
  /** Seconds until a retry may succeed (LIMIT_EXCEEDED). */
  readonly retryAfterSeconds?: number;
  /** Field-level problems for forms: field name -> messages. */
  readonly fieldErrors?: Record<string, string[]>;

  constructor(
    code: AppErrorCode,
    message: string,
    opts: { cause?: unknown; retryAfterSeconds?: number; fieldErrors?: Record<string, string[]> } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = "AppError";
    this.code = code;
    this.retryAfterSeconds = opts.retryAfterSeconds;
    this.fieldErrors = opts.fieldErrors;
  }
}

/** HTTP status for each code (REST API and route handlers). */
export const HTTP_STATUS: Record<AppErrorCode, number> = {
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  INVALID_INPUT: 400,
  CONFLICT: 409,
  LIMIT_EXCEEDED: 429,
  UNPROCESSABLE: 422,
  SANDBOX_TIMEOUT: 422,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
