/** Why a sandboxed strategy call failed. Closed set; map to transport codes at the API edge. */
export type SandboxErrorCode =
  "INVALID_SOURCE" | "TIMEOUT" | "MEMORY_LIMIT" | "RUNTIME_ERROR" | "INVALID_OUTPUT" | "OUTPUT_TOO_LARGE" | "CRASHED";

/** A problem located in the user's TypeScript source (1-based line, 1-based column). */
export interface SourceError {
  line: number;
  column: number;
  message: string;
}

/**
 * The one error the sandbox throws. `message` is safe to show to the strategy's author;
 * `line`/`column` point into the user's TypeScript source when known (1-based).
 */
export class SandboxError extends Error {
  readonly code: SandboxErrorCode;
  readonly line?: number;
  readonly column?: number;
  /** Static-check findings (INVALID_SOURCE only). */
  readonly errors?: SourceError[];
  /** Console output captured before the failure (truncated). */
  readonly logs?: string;
  /** Symbol being processed when the failure happened, if any. */
  readonly symbol?: string;

  constructor(
    code: SandboxErrorCode,
    message: string,
    extra: { line?: number; column?: number; errors?: SourceError[]; logs?: string; symbol?: string } = {},
  ) {
    super(message);
    this.name = "SandboxError";
    this.code = code;
    this.line = extra.line;
    this.column = extra.column;
    this.errors = extra.errors;
    this.logs = extra.logs;
    this.symbol = extra.symbol;
  }
}
