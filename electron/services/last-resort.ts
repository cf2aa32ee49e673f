import type { Logger } from './logger';

/** Faults the last-resort handler saw since start (for logs and tests). */
export interface LastResort {
  readonly faults: number;
  uninstall(): void;
}

/**
 * The process's last line of defence (studio host and Electron main): an exception nobody caught
 * or a rejection nobody handled is logged and the studio stays up, because ending the process
 * ends the show. Every such fault is still a bug: with `strict` (tests set HARVEST_STRICT_FAULTS=1)
 * the fault is logged and the process exits with 70, so a test run fails on it.
 */
export function installLastResort(
  logger: Logger,
  options: { strict?: boolean; exit?: (code: number) => void; target?: NodeJS.Process } = {},
): LastResort {
  const target = options.target ?? process;
  const strict = options.strict ?? process.env.HARVEST_STRICT_FAULTS === '1';
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let faults = 0;
  const onFault = (kind: string) => (error: unknown) => {
    faults += 1;
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    logger.error(`last-resort: ${kind}`, { detail: detail.slice(0, 4000), faults });
    if (strict) {
      process.stderr.write(`HARVEST FAULT (${kind}): ${detail}\n`);
      exit(70);
    }
  };
  const onException = onFault('uncaught exception');
  const onRejection = onFault('unhandled rejection');
  target.on('uncaughtException', onException);
  target.on('unhandledRejection', onRejection);
  return {
    get faults() {
      return faults;
    },
    uninstall() {
      target.off('uncaughtException', onException);
      target.off('unhandledRejection', onRejection);
    },
  };
}
