import { z } from 'zod';

import { request } from './define';

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

export const settingsSchema = z.object({
  language: languageSchema,
  outputFormat: outputFormatSchema,
});
/** User settings kept in the data folder. */
export type Settings = z.infer<typeof settingsSchema>;

export const defaultSettings: Settings = { language: 'zh-CN', outputFormat: '1920x1080' };

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
} as const;

export const appEvents = {
  'settings:changed': settingsSchema,
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
  'app/message-too-large',
  'app/upload-too-large',
  'app/upload-failed',
] as const;
