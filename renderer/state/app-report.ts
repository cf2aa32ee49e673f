import type { StudioClient } from '../api/client';
import { defineActions } from './synced-store';

/** Writes a page's failure into the studio's log (support reads it there); never throws. */
export function errorReporter(client: StudioClient) {
  return {
    reportError: (report: { message: string; where: string; stack?: string | undefined }) =>
      client
        .call('app:report-error', {
          message: report.message.slice(0, 4000),
          where: report.where,
          ...(report.stack === undefined ? {} : { stack: report.stack.slice(0, 20_000) }),
        })
        .then(
          () => true,
          () => false,
        ),
  };
}

export const useErrorReporter = defineActions(errorReporter);
