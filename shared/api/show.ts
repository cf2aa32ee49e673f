import { z } from 'zod';

import { compositorSceneSchema } from '../compositor/scene';
import { docIdSchema, productRefSchema } from '../show/ids';
import { endedShowSchema, liveChangedSchema, liveStateSchema } from '../show/live';
import { presetInputSchema, presetSchema, presetTemplateSchema } from '../show/preset';
import { productMediaSchema, showProductSchema } from '../show/product';
import { rundownInputSchema, rundownSchema, rundownSummarySchema } from '../show/rundown';
import { guardCategorySchema, guardTermSchema, guardTermsSchema } from '../show/text-guard';
import { request } from './define';
import { wsMaxBase64Chars } from './wire';

// The 'show' domain: presets, the run of show, live mode, the text guard and show packages.
// Requests are 'show:verb'.

const guardHitSchema = z.object({
  start: z.number().int(),
  end: z.number().int(),
  text: z.string(),
  term: z.string(),
  category: guardCategorySchema,
  reason: z.string(),
});

/** Hits of the text guard in one text of a document (`field` says where, e.g. `segments.2.script`). */
export const guardFindingSchema = z.object({
  /** 'rundown', a preset id, or a product id: whose text it is. */
  source: z.enum(['rundown', 'preset', 'product']),
  sourceId: z.string(),
  sourceName: z.string(),
  field: z.string(),
  text: z.string(),
  hits: z.array(guardHitSchema),
});
export type GuardFinding = z.infer<typeof guardFindingSchema>;

/** A show package on disk, or its bytes (the browser has no paths). */
const packageSourceSchema = z.union([
  z.object({ path: z.string().min(1).max(4096) }),
  z.object({
    fileName: z.string().min(1).max(200),
    // Within one WebSocket message; bigger packages are uploaded and passed by path.
    dataBase64: z.string().min(1).max(wsMaxBase64Chars),
  }),
]);

export const packageImportResultSchema = z.object({
  rundownId: docIdSchema,
  title: z.string(),
  presets: z.number().int(),
  products: z.number().int(),
  files: z.number().int(),
});

export const scenePreviewInputSchema = z.object({
  /** A stored preset, or the unsaved one being edited. */
  preset: z.union([z.object({ id: docIdSchema }), presetInputSchema]),
  productId: productRefSchema.nullable().default(null),
  host: z.string().max(40).default(''),
  hostTitle: z.string().max(60).default(''),
  guest: z.string().max(40).default(''),
  guestTitle: z.string().max(60).default(''),
  /** Also put the result on program. */
  apply: z.boolean().default(false),
});

export const showRequests = {
  /** The scene the program output shows now. */
  'show:get-scene': request(z.void(), compositorSceneSchema),
  /** Puts a scene on program directly (preset editor preview, tests). */
  'show:set-scene': request(compositorSceneSchema, z.void()),

  /** The templates shipped with the studio (orchard, fishing port, workshop, kitchen, official guest; 16:9 and 9:16). */
  'show:templates-list': request(z.void(), z.array(presetTemplateSchema)),
  'show:presets-list': request(z.void(), z.array(presetSchema)),
  /** Creates (no id) or replaces a preset. */
  'show:preset-save': request(presetInputSchema, presetSchema),
  'show:preset-from-template': request(
    z.object({ templateId: docIdSchema, name: z.string().trim().min(1).max(60).optional() }),
    presetSchema,
  ),
  'show:preset-delete': request(z.object({ id: docIdSchema }), z.void()),
  /** Resolves a preset for a product and people into the scene it would put on program. */
  'show:preset-preview': request(scenePreviewInputSchema, compositorSceneSchema),
  /** The products presets can show (from the sales store), in the shape the show domain uses. */
  'show:products': request(z.void(), z.array(showProductSchema)),
  /** Sets a product's story, photo and 3D model (kept by the show domain beside the sales record). */
  'show:product-media-set': request(
    z.object({ productId: productRefSchema, media: productMediaSchema }),
    showProductSchema,
  ),
  /** Creates or updates the OBS scenes every preset is bound to. */
  'show:obs-provision': request(z.void(), z.object({ scenes: z.array(z.string()) })),

  'show:rundowns-list': request(z.void(), z.array(rundownSummarySchema)),
  'show:rundown-get': request(z.object({ id: docIdSchema }), rundownSchema),
  /** Creates (no id) or replaces a rundown; segments without ids get new ones. */
  'show:rundown-save': request(rundownInputSchema, rundownSchema),
  'show:rundown-delete': request(z.object({ id: docIdSchema }), z.void()),
  /** Copies a (past) show as the plan for a new one. */
  'show:rundown-duplicate': request(
    z.object({ id: docIdSchema, title: z.string().trim().min(1).max(80).optional() }),
    rundownSchema,
  ),

  'show:guard-terms-get': request(z.void(), guardTermsSchema),
  'show:guard-terms-set': request(z.array(guardTermSchema).max(2000), guardTermsSchema),
  'show:guard-terms-reset': request(z.void(), guardTermsSchema),
  /** Checks a rundown's scripts and the texts of its presets and products. */
  'show:guard-check': request(z.object({ rundownId: docIdSchema }), z.array(guardFindingSchema)),

  'show:live-get': request(z.void(), liveStateSchema.nullable()),
  /**
   * Starts the show at its first segment. Refused with 'show/guard-hits' while the text guard finds
   * something, unless the operator has seen the findings and acknowledges them.
   */
  'show:live-start': request(
    z.object({ rundownId: docIdSchema, acknowledgeGuard: z.boolean().default(false) }),
    liveStateSchema,
  ),
  /** NEXT: OBS scene, program scene and sales segment move to the next segment together. */
  'show:live-next': request(z.void(), liveStateSchema),
  'show:live-back': request(z.void(), liveStateSchema),
  'show:live-goto': request(z.object({ index: z.number().int().min(0) }), liveStateSchema),
  /** Ends the show; the UI opens the analytics of `salesShowId`. */
  'show:live-end': request(z.void(), endedShowSchema),

  /** Writes a rundown with its presets, products and their files as one zip. */
  'show:package-export': request(
    z.object({
      rundownId: docIdSchema,
      path: z.string().min(1).max(4096).optional(),
      inline: z.boolean().default(false),
    }),
    z.object({ path: z.string(), bytes: z.number().int(), sha256: z.string(), dataBase64: z.string().optional() }),
  ),
  /** Imports a package all or nothing: a broken or hostile one is refused and nothing is written. */
  'show:package-import': request(packageSourceSchema, packageImportResultSchema),
} as const;

export const showEvents = {
  /** Every window re-renders the program from this. */
  'show:scene-changed': compositorSceneSchema,
  /** The live show changed (start, switch, OBS caught up, end). */
  'show:live-changed': liveChangedSchema,
  /** The segment on air has run past its planned length (once per segment). */
  'show:segment-overrun': z.object({ runId: docIdSchema, index: z.number().int(), plannedSec: z.number().int() }),
  /**
   * Presets, rundowns, the guard list or products' media (story, photo, model) changed: another
   * window may have edited them, or a show package brought them.
   */
  'show:library-changed': z.object({ kind: z.enum(['presets', 'rundowns', 'guard', 'products']) }),
} as const;

/** What a 'show:library-changed' says changed. */
export type LibraryChange = z.infer<(typeof showEvents)['show:library-changed']>['kind'];

export const showErrorCodes = [
  'show/preset-not-found',
  'show/template-not-found',
  'show/rundown-not-found',
  'show/product-not-found',
  'show/preset-in-use',
  'show/rundown-empty',
  'show/segment-without-preset',
  'show/guard-hits',
  'show/already-live',
  'show/not-live',
  'show/no-next-segment',
  'show/no-previous-segment',
  'show/segment-out-of-range',
  'show/sales-failed',
  'show/obs-not-connected',
  'show/package-unreadable',
  'show/package-too-large',
  'show/package-unsafe',
  'show/package-invalid',
  'show/package-newer',
  'show/file-not-found',
  'show/rundown-live',
] as const;
