import { z } from 'zod';

import { compositorSceneSchema } from '../compositor/scene';
import { request } from './define';

// The 'show' domain: presets, the run of show, and the scene on program. Requests are 'show:verb'.

export const showRequests = {
  /** The scene the program output shows now. */
  'show:get-scene': request(z.void(), compositorSceneSchema),
  /** Puts a scene on program directly (preset editor preview, tests). */
  'show:set-scene': request(compositorSceneSchema, z.void()),
} as const;

export const showEvents = {
  /** Every window re-renders the program from this. */
  'show:scene-changed': compositorSceneSchema,
} as const;

export const showErrorCodes = [] as const;
