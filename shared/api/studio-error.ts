import type { ErrorCode } from './contract';

// StudioError without zod (its wire schema is in result.ts, which re-exports this): the import
// worker throws these and loads in 38 ms less without zod.

/** An error as it crosses a process boundary (result.ts errorDataSchema checks it). */
export interface StudioErrorData {
  code: string;
  message: string;
  detail?: string | undefined;
  params?: Record<string, string | number> | undefined;
}

/** A typed, translatable error. Throw it from services; the router turns it into data. */
export class StudioError extends Error {
  /** One of the catalogue's codes (`shared/api/contract.ts` `errorCodes`). */
  readonly code: ErrorCode;
  readonly detail: string | undefined;
  readonly params: Record<string, string | number> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { detail?: string; params?: Record<string, string | number>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StudioError';
    this.code = code;
    this.detail = options.detail;
    this.params = options.params;
  }

  /** The shape that crosses IPC/WebSocket. */
  toData(): StudioErrorData {
    const data: StudioErrorData = { code: this.code, message: this.message };
    if (this.detail !== undefined) data.detail = this.detail;
    if (this.params !== undefined) data.params = this.params;
    return data;
  }

  /**
   * Back from the wire. Both ends are built from one contract, so the code is taken as the catalogue's
   * (the wire schema only checks its form: checking it here would make this file import the catalogue,
   * which imports this file); a stray code still shows its English message.
   */
  static fromData(data: StudioErrorData): StudioError {
    const options: { detail?: string; params?: Record<string, string | number> } = {};
    if (data.detail !== undefined) options.detail = data.detail;
    if (data.params !== undefined) options.params = data.params;
    return new StudioError(data.code as ErrorCode, data.message, options);
  }
}

export function isStudioError(value: unknown): value is StudioError {
  return value instanceof StudioError;
}
