import fs from 'node:fs';
import path from 'node:path';
import { parentPort } from 'node:worker_threads';

import type { StudioErrorData } from '../../../shared/api/result';
import { StudioError } from '../../../shared/api/result';
import { checkModel } from '../../../shared/compositor/model-check';
import { validateModel } from './model-validator';

// The model check off the event loop that serves OBS control and sales entry: the file is read,
// checked by hand (model-check.ts) and by the Khronos validator here, in a worker thread. It
// answers one request at a time; model-checker.ts restarts it if it dies or takes too long.

/** A model file to check; resources are read from its folder only. */
export interface ModelCheckRequest {
  id: number;
  file: string;
}

/** What the check found, or why the model is refused. */
export type ModelCheckReply =
  | { id: number; ok: true; triangles: number; largestTexture: number; resources: string[] }
  | { id: number; ok: false; error: StudioErrorData };

async function check(file: string): Promise<Omit<Extract<ModelCheckReply, { ok: true }>, 'id' | 'ok'>> {
  const dir = path.dirname(file);
  const resources = new Set<string>();
  const readResource = (uri: string) => {
    const target = path.resolve(dir, uri);
    if (!target.startsWith(dir + path.sep) || !fs.existsSync(target) || !fs.statSync(target).isFile()) return undefined;
    resources.add(path.relative(dir, target));
    return new Uint8Array(fs.readFileSync(target));
  };
  const bytes = new Uint8Array(fs.readFileSync(file));
  // The quick check first (clear codes for the usual mistakes), then the Khronos validator and
  // the budget: instancing, Draco-decoded geometry, all textures together.
  const info = checkModel(bytes, { readResource });
  const validated = await validateModel(bytes, { readResource });
  const largestTexture = info.textures.reduce((m, t) => Math.max(m, t.width, t.height), 0);
  return { triangles: validated.triangles, largestTexture, resources: [...resources] };
}

parentPort?.on('message', (request: ModelCheckRequest) => {
  check(request.file).then(
    (found) => parentPort?.postMessage({ id: request.id, ok: true, ...found } satisfies ModelCheckReply),
    (error: unknown) => {
      const data =
        error instanceof StudioError
          ? error.toData()
          : { code: 'assets/broken-model', message: 'The model file is damaged.', detail: String(error) };
      parentPort?.postMessage({ id: request.id, ok: false, error: data } satisfies ModelCheckReply);
    },
  );
});
