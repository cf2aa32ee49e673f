import 'vitest';

import type { ObsInfo } from './obs';

declare module 'vitest' {
  export interface ProvidedContext {
    obs: ObsInfo;
  }
}
