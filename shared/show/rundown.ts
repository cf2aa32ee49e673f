import { z } from 'zod';

import { docIdSchema, productRefSchema } from './ids';
import type { GuardedText } from './text-guard';

/** Planned length of a segment: 10 s to 4 h. */
export const plannedSecSchema = z
  .number()
  .int()
  .min(10)
  .max(4 * 3600);

/** One segment of a show: a product, the preset it is shown with, who is on air, and the plan. */
export const segmentSchema = z.object({
  id: docIdSchema,
  productId: productRefSchema.nullable(),
  presetId: docIdSchema.nullable(),
  host: z.string().trim().max(40),
  hostTitle: z.string().trim().max(60).default(''),
  guest: z.string().trim().max(40),
  guestTitle: z.string().trim().max(60).default(''),
  plannedSec: plannedSecSchema,
  /** What the host says; shown on the teleprompter. */
  script: z.string().max(8000),
  /** Notes for the operator, shown on the timeline. */
  notes: z.string().max(2000),
});
export type Segment = z.infer<typeof segmentSchema>;

/** A past live run of a rundown: what the sales store recorded it as. */
export const rundownRunSchema = z.object({
  runId: docIdSchema,
  salesShowId: z.string().max(64).nullable(),
  startedAt: z.number().int(),
  endedAt: z.number().int().nullable(),
});

/** A show's run of show, stored as one JSON document. */
export const rundownSchema = z.object({
  id: docIdSchema,
  title: z.string().trim().min(1).max(80),
  platforms: z.array(z.string().trim().min(1).max(40)).max(12).default([]),
  /** Planned start, UTC ms. */
  plannedStart: z.number().int().nullable().default(null),
  /** IANA time zone the show is planned in (Asia/Shanghai for most users). */
  timeZone: z.string().max(64).default('Asia/Shanghai'),
  segments: z.array(segmentSchema).max(200),
  /** The rundown this one was duplicated from. */
  copiedFrom: docIdSchema.nullable().default(null),
  runs: z.array(rundownRunSchema).max(1000).default([]),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
/** An ordered list of segments, with its past live runs. */
export type Rundown = z.infer<typeof rundownSchema>;

/** What the editor sends: no id creates a rundown; runs are the service's to write. */
export const rundownInputSchema = rundownSchema
  .omit({ id: true, runs: true, createdAt: true, updatedAt: true })
  .extend({
    id: docIdSchema.optional(),
    segments: z.array(segmentSchema.extend({ id: docIdSchema.optional() })).max(200),
  });
export type RundownInput = z.input<typeof rundownInputSchema>;

/** The list view of a rundown. */
export const rundownSummarySchema = z.object({
  id: docIdSchema,
  title: z.string(),
  segmentCount: z.number().int(),
  plannedSec: z.number().int(),
  plannedStart: z.number().int().nullable(),
  lastRunAt: z.number().int().nullable(),
  updatedAt: z.number().int(),
});
export type RundownSummary = z.infer<typeof rundownSummarySchema>;

/** Moves the segment at `from` to index `to` (both clamped); returns a new array. */
export function moveSegment<T>(segments: readonly T[], from: number, to: number): T[] {
  const out = [...segments];
  if (from < 0 || from >= out.length) return out;
  const [item] = out.splice(from, 1);
  const target = Math.max(0, Math.min(out.length, to));
  out.splice(target, 0, item as T);
  return out;
}

/** Total planned length in seconds. */
export function plannedTotalSec(segments: readonly Pick<Segment, 'plannedSec'>[]): number {
  return segments.reduce((sum, s) => sum + s.plannedSec, 0);
}

/** Planned start offset of each segment from the start of the show, in seconds. */
export function plannedOffsetsSec(segments: readonly Pick<Segment, 'plannedSec'>[]): number[] {
  const offsets: number[] = [];
  let at = 0;
  for (const s of segments) {
    offsets.push(at);
    at += s.plannedSec;
  }
  return offsets;
}

export function summarize(rundown: Rundown): RundownSummary {
  const last = rundown.runs.at(-1);
  return {
    id: rundown.id,
    title: rundown.title,
    segmentCount: rundown.segments.length,
    plannedSec: plannedTotalSec(rundown.segments),
    plannedStart: rundown.plannedStart,
    lastRunAt: last?.startedAt ?? null,
    updatedAt: rundown.updatedAt,
  };
}

/**
 * A copy of a (past) show to plan the next one from: new ids, no runs, no planned start. Products,
 * presets, people and scripts carry over.
 */
export function duplicateRundown(
  source: Rundown,
  options: { id: string; title: string; now: number; newSegmentId: () => string },
): Rundown {
  return rundownSchema.parse({
    ...source,
    id: options.id,
    title: options.title,
    plannedStart: null,
    segments: source.segments.map((s) => ({ ...s, id: options.newSegmentId() })),
    copiedFrom: source.id,
    runs: [],
    createdAt: options.now,
    updatedAt: options.now,
  });
}

/** Every text of a rundown that reaches viewers (for the text guard): scripts are spoken on air. */
export function rundownTexts(rundown: Pick<Rundown, 'title' | 'segments'>): GuardedText[] {
  const texts: GuardedText[] = [];
  rundown.segments.forEach((s, i) => {
    if (s.script !== '') texts.push({ field: `segments.${i}.script`, text: s.script });
    if (s.hostTitle !== '') texts.push({ field: `segments.${i}.hostTitle`, text: s.hostTitle });
    if (s.guestTitle !== '') texts.push({ field: `segments.${i}.guestTitle`, text: s.guestTitle });
  });
  return texts;
}

/**
 * Why a rundown cannot go live as it is; empty when it can. A segment without a product is fine
 * (a welcome, a guest's speech); one without a preset has nothing to put on program.
 */
export function rundownProblems(rundown: {
  segments: readonly Pick<Segment, 'presetId'>[];
}): { index: number; problem: 'no-preset' }[] {
  const problems: { index: number; problem: 'no-preset' }[] = [];
  if (rundown.segments.length === 0) return problems;
  rundown.segments.forEach((s, index) => {
    if (s.presetId === null) problems.push({ index, problem: 'no-preset' });
  });
  return problems;
}
