import { z } from 'zod';

import { request } from './define';
import { errorDataSchema } from './result';

export const languageSchema = z.enum(['zh-CN', 'en']);
/** A UI language. zh-CN is the default. */
export type Language = z.infer<typeof languageSchema>;

/** Program output sizes that OBS captures; the key is `WIDTHxHEIGHT`. */
export const outputFormats = {
  '1920x1080': { width: 1920, height: 1080 },
  '1280x720': { width: 1280, height: 720 },
  '1080x1920': { width: 1080, height: 1920 },
} as const;
export const outputFormatSchema = z.enum(['1920x1080', '1280x720', '1080x1920']);
export type OutputFormat = z.infer<typeof outputFormatSchema>;

/** Where the studio's picture goes live; the first-run guide sets the studio up for it. */
export const livePlatformSchema = z.enum(['douyin', 'tiktok', 'kuaishou', 'bilibili', 'taobao', 'weixin', 'custom']);
export type LivePlatform = z.infer<typeof livePlatformSchema>;

/** The first-run guide's steps, in order. */
export const onboardingSteps = ['language', 'camera', 'obs', 'platform', 'sample'] as const;
export const onboardingStepSchema = z.enum(onboardingSteps);
export type OnboardingStep = z.infer<typeof onboardingStepSchema>;

/** Where the first-run guide stands: 'new' shows it, 'in-progress' resumes it at `step`. */
export const onboardingSchema = z.object({
  status: z.enum(['new', 'in-progress', 'skipped', 'done']),
  step: onboardingStepSchema,
  platform: livePlatformSchema.nullable(),
  /** The sample show the guide built, so a restarted guide reuses it instead of making another. */
  sampleRundownId: z.string().max(100).nullable(),
});
export type Onboarding = z.infer<typeof onboardingSchema>;

/** An Electron accelerator such as `CommandOrControl+Alt+N` (letters, digits, F-keys, arrows). */
export const acceleratorSchema = z
  .string()
  .trim()
  .max(60)
  .regex(/^[A-Za-z0-9]+(\+[A-Za-z0-9]+)*$/, 'an accelerator such as CommandOrControl+Alt+N');

/** Keys that work while another app (OBS, 直播伴侣) is in front; Electron only. */
export const globalShortcutsSchema = z.object({
  next: acceleratorSchema,
  back: acceleratorSchema,
  quickSale: acceleratorSchema,
});
export type GlobalShortcuts = z.infer<typeof globalShortcutsSchema>;
export type GlobalShortcutAction = keyof GlobalShortcuts;

/** Why the studio chose a smaller output by itself: shown in one line beside the size. */
export const outputReasonSchema = z.enum(['software-graphics', 'small-cpu']).nullable();
export type OutputReason = z.infer<typeof outputReasonSchema>;

export const settingsSchema = z.object({
  language: languageSchema,
  outputFormat: outputFormatSchema,
  outputReason: outputReasonSchema,
  onboarding: onboardingSchema,
  shortcuts: globalShortcutsSchema,
});
/** User settings kept in the data folder. */
export type Settings = z.infer<typeof settingsSchema>;

export const defaultShortcuts: GlobalShortcuts = {
  next: 'CommandOrControl+Alt+N',
  back: 'CommandOrControl+Alt+B',
  quickSale: 'CommandOrControl+Alt+S',
};

export const defaultSettings: Settings = {
  language: 'zh-CN',
  outputFormat: '1920x1080',
  outputReason: null,
  onboarding: { status: 'new', step: 'language', platform: null, sampleRundownId: null },
  shortcuts: defaultShortcuts,
};

/** What the renderer learnt about this PC's graphics (WebGL renderer string; null: no WebGL at all). */
export const machineReportSchema = z.object({ webglRenderer: z.string().max(500).nullable() });

/** Whether a global shortcut is working, and if not why (taken by another app, or used twice). */
export const shortcutStatusSchema = z.object({
  action: z.enum(['next', 'back', 'quickSale']),
  accelerator: z.string(),
  state: z.enum(['registered', 'taken', 'duplicate', 'invalid', 'unsupported']),
});
export type ShortcutStatus = z.infer<typeof shortcutStatusSchema>;

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  mode: z.enum(['electron', 'host']),
  platform: z.string(),
  dataDir: z.string(),
  programUrl: z.string().optional(),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

export const appRequests = {
  'app:info': request(z.void(), appInfoSchema),
  'app:report-error': request(
    z.object({ message: z.string().max(4000), stack: z.string().max(20000).optional(), where: z.string().max(200) }),
    z.void(),
  ),
  'settings:get': request(z.void(), settingsSchema),
  'settings:update': request(settingsSchema.partial().strict(), settingsSchema),
  /**
   * First run only: the renderer's view of the graphics; on software graphics or a small CPU the
   * output becomes 1280×720 (with `outputReason` saying why). Later runs leave the user's choice.
   */
  'app:machine-report': request(machineReportSchema, settingsSchema),
  /** Which global shortcuts work ('unsupported' for each in host mode, which has none). */
  'app:shortcuts-status': request(z.void(), z.array(shortcutStatusSchema)),
} as const;

export const appEvents = {
  'settings:changed': settingsSchema,
  /** The global shortcuts were (re)registered; some may be taken by another app. */
  'app:shortcuts-changed': z.array(shortcutStatusSchema),
  /** A global shortcut ran while another app was in front; a failure is shown in the error panel. */
  'app:shortcut-used': z.object({ action: z.enum(['next', 'back', 'quickSale']), error: errorDataSchema.nullable() }),
} as const;

export const appErrorCodes = [
  'app/unknown-request',
  'app/invalid-payload',
  'app/internal',
  'app/not-connected',
  'app/timeout',
  'app/unauthorized',
  'app/disk-full',
  'app/read-only',
  /** A file the user chose to save cannot go there: a folder's name, a path through a file, not absolute. */
  'app/save-path',
  'app/message-too-large',
  'app/upload-too-large',
  'app/upload-failed',
] as const;
