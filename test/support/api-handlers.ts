import type { Handler, Handlers } from '../../electron/services/api-router';
import type { RequestName } from '../../shared/api/contract';
import { requests } from '../../shared/api/contract';
import { StudioError } from '../../shared/api/result';

/**
 * The router takes the whole contract's handlers; a test that wires only some domains gets the rest as
 * handlers that answer `app/unknown-request`, as the router would for a name it does not know.
 */
export function completeHandlers(partial: Partial<Handlers>): Handlers {
  const full: Partial<Record<RequestName, Handler<RequestName>>> = {};
  for (const name of Object.keys(requests) as RequestName[]) {
    full[name] =
      (partial[name] as Handler<RequestName> | undefined) ??
      (() => {
        throw new StudioError('app/unknown-request', `No handler for ${name} in this test`);
      });
  }
  return full as Handlers;
}
