// A new user's first run, scripted: the first-run guide from language to the first live NEXT,
// each click counted as one action. Shared by test/e2e/first-run.e2e.test.ts and the bench.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { Page } from 'playwright-core';

import type { ObsInfo } from './obs';

/** What the first run took: the user's actions (clicks) and the time from the page load to NEXT. */
export interface FirstRunResult {
  actions: number;
  ms: number;
  /** Each action's name, in order, for failure messages and the report. */
  steps: string[];
}

/**
 * An XDG config folder that holds the test OBS's own settings: the real OBS's state folder
 * when the harness started it, otherwise one written with the port and password the run names
 * (an OBS 28/29 global.ini, as OBS itself writes it).
 */
export function obsConfigHome(obs: ObsInfo): string {
  const own = path.join(obs.stateDir, 'home', '.config');
  if (obs.stateDir !== '' && fs.existsSync(path.join(own, 'obs-studio', 'global.ini'))) return own;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'obs-config-home-'));
  fs.mkdirSync(path.join(dir, 'obs-studio'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'obs-studio', 'global.ini'),
    `[OBSWebSocket]\nServerEnabled=true\nServerPort=${obs.port}\nAuthRequired=true\nServerPassword=${obs.password}\n`,
  );
  return dir;
}

/**
 * Plays the guide on a page opened on a fresh studio (zh-CN), to the first NEXT of the sample show.
 * `shot(name)` is called at every step once it has settled (screenshots in the e2e test).
 */
export async function playFirstRun(
  page: Page,
  options: { platform?: string; shot?: (name: string) => Promise<void> } = {},
): Promise<FirstRunResult> {
  const steps: string[] = [];
  const shot = options.shot ?? (async () => undefined);
  const started = performance.now();
  const act = async (name: string, testId: string) => {
    steps.push(name);
    await page.getByTestId(testId).click();
  };
  const atStep = (step: string) => page.locator(`[data-testid="first-run-guide"][data-step="${step}"]`).waitFor();

  await atStep('language');
  // The machine report has run once the guide is in progress (the output size is then final).
  await page.getByTestId('guide-output-format').waitFor();
  await shot('1-language');
  await act('language: next', 'guide-next');

  await atStep('camera');
  await page.locator('[data-testid="guide-camera-state"]:not([data-state="opening"])').waitFor();
  await shot('2-camera');
  await act('camera: next', 'guide-next');

  await atStep('obs');
  await page.getByTestId('guide-obs-found').waitFor();
  await shot('3-obs-found');
  await act('obs: allow reading the password', 'guide-obs-read-password');
  await page.getByTestId('guide-obs-scenes').waitFor({ timeout: 30_000 });
  await shot('3-obs-connected');
  await act('obs: next', 'guide-next');

  await atStep('platform');
  await act('platform: choose', `guide-platform-${options.platform ?? 'douyin'}`);
  await page.getByTestId('guide-route').waitFor();
  await shot('4-platform');
  await act('platform: next', 'guide-next');

  await atStep('sample');
  await shot('5-sample');
  await act('sample: build and start', 'guide-sample-start');
  await page.locator('[data-testid="live-panel"][data-live="on"]').waitFor({ timeout: 30_000 });
  await page.locator('[data-testid="live-segment"][data-index="0"]').waitFor();
  await shot('6-studio-live');
  await act('studio: NEXT', 'live-next');
  await page.locator('[data-testid="live-segment"][data-index="1"]').waitFor();
  return { actions: steps.length, ms: Math.round(performance.now() - started), steps };
}
