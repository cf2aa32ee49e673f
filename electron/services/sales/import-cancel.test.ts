import fs from 'node:fs';
import path from 'node:path';

import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';

import { badRowsCsv, writeDouyinOrders } from '../../../test/fixtures/orders/make-fixtures';
import { rejection, stagingFiles } from '../../../test/support/sales/import-checks';
import { rollupsOf } from '../../../test/support/sales/rollups';
import type { SalesKit, SeededShow } from '../../../test/support/sales/test-kit';
import { kitPerTest } from '../../../test/support/sales/test-kit';
import { importRangeRows } from './staged-columns';

// Stopping an import ('sales:import-cancel'): a million-order file takes seconds to read and
// seconds more to write, and the user who picked the wrong one can stop either. A stopped
// preview leaves nothing staged, a stopped commit leaves nothing in the log, and a preview
// nobody commits is dropped when the dialog closes, not half an hour later. A commit that fails
// on its own, even in its last step, leaves the log as a stopped one does.

let kit: SalesKit;
let seed: SeededShow;
kitPerTest((k, s) => {
  kit = k;
  seed = s;
});

/** Lines of the 抖店 file (one line per order): more than two commit ranges. */
const rows = 2 * importRangeRows + 5_000;

async function ordersFile(): Promise<string> {
  const file = path.join(kit.dir, 'orders.csv');
  await writeDouyinOrders(file, { rows });
  return file;
}

/** What the log holds: sales rows, imports rows, and the roll-up as stored and as summed from the rows. */
async function logState() {
  const { file } = await kit.call('sales:db-status');
  const db = new Database(file, { readonly: true });
  try {
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    return {
      sales: count('SELECT count(*) n FROM sales'),
      imports: count('SELECT count(*) n FROM imports'),
      ...rollupsOf(file),
    };
  } finally {
    db.close();
  }
}

describe('stopping an import', () => {
  it('stops a preview while it reads: it fails with sales/import-cancelled, reads no further, stages nothing', async () => {
    const file = await ordersFile();
    const reading = kit.next('sales:import-progress', (p) => p.phase === 'reading' && p.rows > 0);
    const preview = kit.call('sales:import-preview', { source: { kind: 'path', path: file } });
    const { previewId } = await reading;
    expect(await kit.call('sales:import-cancel', { previewId })).toEqual({ stopped: 'reading' });
    expect((await rejection(preview)).code).toBe('sales/import-cancelled');
    // The worker runs at most two batches ahead of what was staged: it stopped well short of the end.
    const readRows = kit.events
      .filter((e) => e.name === 'sales:import-progress')
      .map((e) => (e.payload as { rows: number }).rows);
    expect(Math.max(...readRows)).toBeLessThan(rows / 2);
    expect(stagingFiles(kit.dir).filter((f) => !f.endsWith('.old'))).toEqual([]);
    await vi.waitFor(() => expect(stagingFiles(kit.dir)).toEqual([]), { timeout: 5000, interval: 20 });
    expect(await kit.call('sales:import-cancel', { previewId })).toEqual({ stopped: null });
    await expect(logState()).resolves.toMatchObject({ sales: 0, imports: 0 });
    // The next file reads as usual.
    const again = await kit.call('sales:import-preview', { source: { kind: 'path', path: file } });
    expect(again.okRows).toBe(rows);
  });

  it('drops a preview waiting for its commit: committing it then fails with sales/import-expired', async () => {
    const p = await kit.call('sales:import-preview', { source: { kind: 'path', path: await ordersFile() } });
    expect(stagingFiles(kit.dir)).toHaveLength(1);
    expect(await kit.call('sales:import-cancel', { previewId: p.previewId })).toEqual({ stopped: 'preview' });
    expect((await rejection(kit.call('sales:import-commit', { previewId: p.previewId }))).code).toBe(
      'sales/import-expired',
    );
    await vi.waitFor(() => expect(stagingFiles(kit.dir)).toEqual([]), { timeout: 5000, interval: 20 });
    expect(await kit.call('sales:import-cancel', { previewId: p.previewId })).toEqual({ stopped: null });
  });

  it('stops a commit: the ranges written are taken out again, and the same preview commits whole later', async () => {
    const p = await kit.call('sales:import-preview', { source: { kind: 'path', path: await ordersFile() } });
    const before = await logState();
    const firstRange = kit.next('sales:import-progress', (e) => e.phase === 'committing' && e.rows > 0);
    const commit = kit.call('sales:import-commit', { previewId: p.previewId });
    const written = await firstRange;
    expect(written.rows).toBeLessThan(rows);
    const changed = kit.next('sales:changed', (e) => e.reason === 'import');
    expect(await kit.call('sales:import-cancel', { previewId: p.previewId })).toEqual({ stopped: 'committing' });
    expect((await rejection(commit)).code).toBe('sales/import-cancelled');
    await changed;
    const after = await logState();
    expect(after).toMatchObject({ sales: 0, imports: 0 });
    expect(after.stored).toEqual(before.stored);
    expect(after.stored).toEqual(after.fromSales);
    // Still previewed: committing it again writes the whole file, its roll-up exact.
    const done = await kit.call('sales:import-commit', { previewId: p.previewId });
    expect(done.imported).toBe(rows);
    const whole = await logState();
    expect(whole).toMatchObject({ sales: rows, imports: 1 });
    expect(whole.stored).toEqual(whole.fromSales);
    // Done: too late to stop.
    expect(await kit.call('sales:import-cancel', { previewId: p.previewId })).toEqual({ stopped: null });
  });

  it('takes a stopped commit out in chunks: sales entered meanwhile are answered while rows of the file remain', async () => {
    const p = await kit.call('sales:import-preview', { source: { kind: 'path', path: await ordersFile() } });
    const firstRange = kit.next('sales:import-progress', (e) => e.phase === 'committing' && e.rows > 0);
    let isSettled = false;
    const commit = kit.call('sales:import-commit', { previewId: p.previewId }).finally(() => (isSettled = true));
    const stopped = rejection(commit);
    await firstRange;
    await kit.call('sales:import-cancel', { previewId: p.previewId });
    const db = new Database((await kit.call('sales:db-status')).file, { readonly: true });
    try {
      const importedRows = () =>
        (db.prepare('SELECT count(*) n FROM sales WHERE import_id IS NOT NULL').get() as { n: number }).n;
      // In one transaction the file's rows would go all at once: a sale answered in between sees
      // fewer of them than before, and still some.
      let most = 0;
      let answeredPartWay = 0;
      let entered = 0;
      while (!isSettled) {
        await kit.call('sales:record', { productId: seed.orange.id, quantity: 1 });
        entered += 1;
        const left = importedRows();
        if (left > 0 && left < most) answeredPartWay += 1;
        most = Math.max(most, left);
      }
      expect((await stopped).code).toBe('sales/import-cancelled');
      expect(answeredPartWay).toBeGreaterThan(0);
      expect(importedRows()).toBe(0);
      // The sales entered meanwhile stay, and the roll-up holds exactly them.
      const after = await logState();
      expect(after).toMatchObject({ sales: entered, imports: 0 });
      expect(after.stored).toEqual(after.fromSales);
    } finally {
      db.close();
    }
  });

  it('answers an id it never saw with nothing stopped, and refuses ids the contract does not allow', async () => {
    expect(await kit.call('sales:import-cancel', { previewId: 'no-such-preview' })).toEqual({ stopped: null });
    expect((await rejection(kit.call('sales:import-cancel', { previewId: '' }))).code).toBe('app/invalid-payload');
  });
});

describe('a commit that fails', () => {
  it('fails in its last step: every range written is taken out again, and the same preview commits whole later', async () => {
    const p = await kit.call('sales:import-preview', { source: { kind: 'path', path: await ordersFile() } });
    const before = await logState();
    // The write that marks the import done fails, as a disk that fills up right then would make it.
    const { file } = await kit.call('sales:db-status');
    const other = new Database(file);
    other.exec(`CREATE TRIGGER refuse_done BEFORE UPDATE OF state ON imports WHEN NEW.state = 'done'
      BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`);
    try {
      const changed = kit.next('sales:changed', (e) => e.reason === 'import');
      const failed = await rejection(kit.call('sales:import-commit', { previewId: p.previewId }));
      expect(failed.detail).toMatch(/refused by the test/u);
      // Every range had been written: all of them were counted until they were taken out.
      expect(kit.events.filter((e) => e.name === 'sales:import-progress').at(-1)?.payload).toMatchObject({
        phase: 'committing',
        rows,
      });
      await changed;
      const after = await logState();
      expect(after).toMatchObject({ sales: 0, imports: 0 });
      expect(after.stored).toEqual(before.stored);
      expect(after.stored).toEqual(after.fromSales);
    } finally {
      other.exec('DROP TRIGGER refuse_done');
      other.close();
    }
    const done = await kit.call('sales:import-commit', { previewId: p.previewId });
    expect(done.imported).toBe(rows);
    const whole = await logState();
    expect(whole).toMatchObject({ sales: rows, imports: 1 });
    expect(whole.stored).toEqual(whole.fromSales);
  });

  it('fails to save the column mapping asked for: the import is taken out too, and says so', async () => {
    const p = await kit.call('sales:import-preview', { source: { kind: 'path', path: await ordersFile() } });
    const { file } = await kit.call('sales:db-status');
    const other = new Database(file);
    other.exec(`CREATE TRIGGER refuse_mapping BEFORE INSERT ON column_mappings
      BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`);
    try {
      const failed = await rejection(
        kit.call('sales:import-commit', { previewId: p.previewId, skipBadRows: false, saveMapping: true }),
      );
      expect(failed.detail).toMatch(/refused by the test/u);
      await expect(logState()).resolves.toMatchObject({ sales: 0, imports: 0 });
    } finally {
      other.exec('DROP TRIGGER refuse_mapping');
      other.close();
    }
    // The same preview, asked again, imports and saves its mapping.
    const done = await kit.call('sales:import-commit', {
      previewId: p.previewId,
      skipBadRows: false,
      saveMapping: true,
    });
    expect(done.imported).toBe(rows);
    expect(await kit.call('sales:mapping-list')).toHaveLength(1);
  });

  /** A commit that fails and whose rows cannot be taken out either (a full disk refuses both): they stay. */
  async function failLeavingRows(previewId: string): Promise<void> {
    const { file } = await kit.call('sales:db-status');
    const other = new Database(file);
    other.exec(`CREATE TRIGGER refuse_done BEFORE UPDATE OF state ON imports WHEN NEW.state = 'done'
      BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;
      CREATE TRIGGER refuse_delete BEFORE DELETE ON sales BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`);
    try {
      await rejection(kit.call('sales:import-commit', { previewId }));
      // Still in the log, as an import not done (the next open would take it out).
      await expect(logState()).resolves.toMatchObject({ sales: rows, imports: 1 });
    } finally {
      other.exec('DROP TRIGGER refuse_done; DROP TRIGGER refuse_delete');
      other.close();
    }
  }

  it('fails and cannot be taken out either (a full disk refuses both): the next try takes the rows out first', async () => {
    const p = await kit.call('sales:import-preview', { source: { kind: 'path', path: await ordersFile() } });
    await failLeavingRows(p.previewId);
    const done = await kit.call('sales:import-commit', { previewId: p.previewId });
    expect(done).toMatchObject({ imported: rows, duplicates: 0 });
    const whole = await logState();
    expect(whole).toMatchObject({ sales: rows, imports: 1 });
    expect(whole.stored).toEqual(whole.fromSales);
  });

  it('fails and cannot be taken out either: dropping the preview takes the rows out, and says the log changed', async () => {
    const p = await kit.call('sales:import-preview', { source: { kind: 'path', path: await ordersFile() } });
    const before = await logState();
    await failLeavingRows(p.previewId);
    const changed = kit.next('sales:changed', (e) => e.reason === 'import');
    expect(await kit.call('sales:import-cancel', { previewId: p.previewId })).toEqual({ stopped: 'preview' });
    await changed;
    const after = await logState();
    expect(after).toMatchObject({ sales: 0, imports: 0 });
    expect(after.stored).toEqual(before.stored);
    expect(after.stored).toEqual(after.fromSales);
  });

  it('refused before it writes (expired, bad rows): the log did not change, and no sales:changed says it did', async () => {
    const bad = path.join(kit.dir, 'bad-rows.csv');
    fs.writeFileSync(bad, badRowsCsv());
    const p = await kit.call('sales:import-preview', { source: { kind: 'path', path: bad } });
    expect(p.badRowCount).toBeGreaterThan(0);
    const eventsBefore = kit.events.length;
    expect((await rejection(kit.call('sales:import-commit', { previewId: p.previewId }))).code).toBe(
      'sales/import-bad-rows',
    );
    expect((await rejection(kit.call('sales:import-commit', { previewId: 'no-such-preview' }))).code).toBe(
      'sales/import-expired',
    );
    // A call after them, so any event they sent has arrived.
    await kit.call('sales:live-segment');
    expect(kit.events.slice(eventsBefore).map((e) => e.name)).not.toContain('sales:changed');
    await expect(logState()).resolves.toMatchObject({ sales: 0, imports: 0 });
  });
});
