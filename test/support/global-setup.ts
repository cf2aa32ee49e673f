import type { TestProject } from 'vitest/node';

import { ensureObs } from './obs';

/**
 * Starts one headless OBS for the whole run (unless OBS_WS_URL already names one) and hands
 * its address to the tests through `inject('obs')`.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const obs = await ensureObs();
  project.provide('obs', obs.info);
  return obs.stop;
}
