import fs from 'node:fs';
import path from 'node:path';

import type { z } from 'zod';

import { writeFileAtomic } from '../json-file';
import type { Logger } from '../logger';

/**
 * JSON documents, one file per document (`<dir>/<id>.json`), kept in memory after the first read.
 * Writes are atomic, so a crash leaves the old or the new document, never half of one. A file
 * that no longer parses is set aside as `<id>.json.broken` and logged, not silently dropped.
 */
export class JsonDocStore<S extends z.ZodType<{ id: string }>> {
  private cache: Map<string, z.output<S>> | undefined;

  constructor(
    private readonly dir: string,
    private readonly schema: S,
    private readonly logger: Logger,
  ) {}

  private load(): Map<string, z.output<S>> {
    if (this.cache !== undefined) return this.cache;
    const docs = new Map<string, z.output<S>>();
    let names: string[] = [];
    try {
      names = fs.readdirSync(this.dir).filter((n) => n.endsWith('.json'));
    } catch {
      names = [];
    }
    for (const name of names) {
      const file = path.join(this.dir, name);
      try {
        const parsed = this.schema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
        if (parsed.success && `${parsed.data.id}.json` === name) {
          docs.set(parsed.data.id, parsed.data);
          continue;
        }
      } catch {
        // Unreadable JSON is handled like an invalid document below.
      }
      this.logger.warn('set aside a document that does not parse', { file });
      try {
        fs.renameSync(file, `${file}.broken`);
      } catch {
        // A read-only folder: leave it; it is skipped either way.
      }
    }
    this.cache = docs;
    return docs;
  }

  list(): z.output<S>[] {
    return [...this.load().values()];
  }

  get(id: string): z.output<S> | undefined {
    return this.load().get(id);
  }

  has(id: string): boolean {
    return this.load().has(id);
  }

  /** Validates and writes a document; returns what was stored. */
  put(doc: z.input<S>): z.output<S> {
    const parsed = this.schema.parse(doc);
    writeFileAtomic(path.join(this.dir, `${parsed.id}.json`), JSON.stringify(parsed, null, 2));
    this.load().set(parsed.id, parsed);
    return parsed;
  }

  delete(id: string): boolean {
    const docs = this.load();
    if (!docs.has(id)) return false;
    fs.rmSync(path.join(this.dir, `${id}.json`), { force: true });
    docs.delete(id);
    return true;
  }
}
