import fs from 'node:fs';
import path from 'node:path';

import type { z } from 'zod';

/** Reads a JSON file through a schema; a missing or unreadable file gives `undefined`. */
export function readJsonFile<S extends z.ZodType>(file: string, schema: S): z.output<S> | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Writes a file atomically (temp file, fsync, rename) so a power cut never leaves half a file. */
export function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o644): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w', mode);
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

/** What a per-entry read found: the entries that parse, and how many were set aside. */
export interface EntriesRead<T> {
  entries: T[];
  setAside: number;
}

/**
 * Reads `{ <key>: [...] }` entry by entry: each entry is checked on its own, so one bad entry (a
 * model stored with NaN triangles, a hand edit) never empties its neighbours. Bad entries are
 * appended to `<file>.rejected.jsonl` (kept for support, never read back) and reported through
 * `onSetAside`. A file that is not JSON at all is moved to `<file>.broken` the same way.
 */
export function readJsonEntries<S extends z.ZodType>(
  file: string,
  key: string,
  entrySchema: S,
  onSetAside: (count: number, reason: string) => void,
): EntriesRead<z.output<S>> {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], setAside: 0 };
    setAsideFile(file);
    onSetAside(1, 'not JSON');
    return { entries: [], setAside: 1 };
  }
  const list = (raw as Record<string, unknown> | null)?.[key];
  if (!Array.isArray(list)) {
    setAsideFile(file);
    onSetAside(1, `no ${key} list`);
    return { entries: [], setAside: 1 };
  }
  const entries: z.output<S>[] = [];
  const rejected: { entry: unknown; issues: string }[] = [];
  for (const entry of list) {
    const parsed = entrySchema.safeParse(entry);
    if (parsed.success) entries.push(parsed.data);
    else
      rejected.push({ entry, issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
  }
  if (rejected.length > 0) {
    appendRejected(file, rejected);
    onSetAside(rejected.length, rejected[0]!.issues.slice(0, 500));
  }
  return { entries, setAside: rejected.length };
}

/**
 * Reads an object field by field against an object schema's shape: a field that does not parse
 * falls back to its default (the caller's), the rest are kept. Returns the fields that parsed and
 * the names of those that did not.
 */
export function readJsonFields<T extends Record<string, unknown>>(
  file: string,
  shape: { [K in keyof T]: z.ZodType<T[K]> },
): { fields: Partial<T>; rejected: string[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') setAsideFile(file);
    return { fields: {}, rejected: (error as NodeJS.ErrnoException).code === 'ENOENT' ? [] : ['*'] };
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    setAsideFile(file);
    return { fields: {}, rejected: ['*'] };
  }
  const fields: Partial<T> = {};
  const rejected: string[] = [];
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    const schema = (shape as Record<string, z.ZodType | undefined>)[name];
    if (schema === undefined) continue;
    const parsed = schema.safeParse(value);
    if (parsed.success) (fields as Record<string, unknown>)[name] = parsed.data;
    else rejected.push(name);
  }
  if (rejected.length > 0) appendRejected(file, [{ entry: raw, issues: `fields: ${rejected.join(', ')}` }]);
  return { fields, rejected };
}

function setAsideFile(file: string): void {
  try {
    fs.renameSync(file, `${file}.broken`);
  } catch {
    // Read-only folder: the file is skipped either way.
  }
}

function appendRejected(file: string, rejected: { entry: unknown; issues: string }[]): void {
  const target = `${file}.rejected.jsonl`;
  const at = new Date().toISOString();
  try {
    fs.appendFileSync(target, rejected.map((r) => JSON.stringify({ at, ...r })).join('\n') + '\n');
  } catch {
    // Read-only folder: the report in the log is what remains.
  }
}
