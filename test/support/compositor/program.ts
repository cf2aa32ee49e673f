// The program page end to end, as the compositor's e2e tests set it up: the built host at the
// lighter 16:9 output, the program in real Chromium, the host's log to read coded errors from.
import fs from 'node:fs';
import path from 'node:path';

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

import { footage, makeFakeCamera } from '../../fixtures/camera/fake-camera';
import type { ApiSocket } from '../../fixtures/camera/studio-api';
import { openApi, waitForScene } from '../../fixtures/camera/studio-api';
import { keepWebGlPixels } from '../browser';
import type { RunningHost } from '../host';
import { repoRoot, startHost } from '../host';

// The program at 1280×720: software WebGL and CPU inference on the test machines are slow, and
// the checks do not depend on the size.
export const W = 1280;
export const H = 720;

/** The built host with a raw API socket, its output set to 1280×720. */
export async function startProgramHost(): Promise<{ host: RunningHost; api: ApiSocket }> {
  const host = await startHost();
  const api = await openApi(host);
  await api.value('settings:update', { outputFormat: '1280x720' });
  return { host, api };
}

/** The program host of one test file or describe block, for its tests to read. */
export interface ProgramStudio {
  readonly host: RunningHost;
  readonly api: ApiSocket;
}

/**
 * Starts a program host (see {@link startProgramHost}) before the tests of the enclosing block and
 * stops it after them. Call it before the block's own hooks: they run after it starts, and their
 * clean-up before it stops.
 */
export function useProgramHost(): ProgramStudio {
  let started: { host: RunningHost; api: ApiSocket } | undefined;
  beforeAll(async () => {
    started = await startProgramHost();
  });
  afterAll(async () => {
    started?.api.close();
    await started?.host.stop();
  });
  const get = () => {
    if (started === undefined) throw new Error('the program host is not started: read it inside a hook or a test');
    return started;
  };
  return {
    get host() {
      return get().host;
    },
    get api() {
      return get().api;
    },
  };
}

/** The fake webcam most tests use: a man facing the camera against a plain wall, 640×480, 4 s. */
export const personCamera = (): string =>
  makeFakeCamera(repoRoot, { input: footage.person, width: 640, height: 480, seconds: 4, fps: 25 });

/**
 * Opens `url` (the program, or the program with query options) in a fresh W×H context whose
 * WebGL canvases keep their pixels for screenshots, and waits for its first scene. Page errors go
 * into `errors`; `initScript` runs before the page's own code.
 */
export async function openProgram(
  browser: Browser,
  url: string,
  options: { errors?: string[]; initScript?: string } = {},
): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: W, height: H } });
  await keepWebGlPixels(context);
  if (options.initScript !== undefined) await context.addInitScript(options.initScript);
  const page = await context.newPage();
  page.on('pageerror', (e) => options.errors?.push(e.message));
  await page.goto(url);
  await waitForScene(page, 1);
  return page;
}

/** Everything the host logged: its output and the log files in its data folder. */
export function hostLog(host: RunningHost): string {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.log')) files.push(fs.readFileSync(p, 'utf8'));
    }
  };
  walk(host.dataDir);
  return host.output() + files.join('\n');
}
