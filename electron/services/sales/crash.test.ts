import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

// CRASH TEST. A child process writes sales through the real store as fast as it can and prints
// each acknowledged id; it is SIGKILLed at random moments, twenty times. After every kill, every
// acknowledged sale must be in the file, the file must pass integrity_check, and the analytics
// roll-up must agree with the sales table (the triggers ran in the same transactions).

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harvest-crash-'));
const file = path.join(dir, 'sales.db');
const child = path.join(import.meta.dirname, '../../../test/support/sales/crash-child.ts');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/**
 * One round: start the child, wait for its first acknowledged sale, kill it `afterMs` later; the
 * ids it acknowledged. Counting from the first write (not from start-up) keeps the kill inside the
 * writes even when a loaded machine is slow to open the store.
 */
function round(afterMs: number): Promise<{ acked: number[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, file], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: number[] = [];
    let buffer = '';
    let stderr = '';
    let isReady = false;
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    proc.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'ready') {
          isReady = true;
        } else if (line !== '') {
          acked.push(Number(line));
          // The random moment: somewhere in the middle of the writes.
          if (acked.length === 1) setTimeout(() => proc.kill('SIGKILL'), afterMs);
        }
      }
    });
    proc.on('error', reject);
    proc.on('exit', (code, signal) => {
      if (!isReady || signal !== 'SIGKILL') {
        reject(new Error(`child ended before the kill (code ${code}, signal ${signal}): ${stderr}`));
        return;
      }
      resolve({ acked, stderr });
    });
  });
}

describe('crash safety', () => {
  it('every acknowledged sale survives SIGKILL at random moments (20 rounds), and the file stays intact', async () => {
    const allAcked: number[] = [];
    let seed = 20260415;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 20; i++) {
      const { acked } = await round(30 + Math.floor(random() * 400));
      expect(acked.length, `round ${i} acknowledged nothing`).toBeGreaterThan(0);
      allAcked.push(...acked);

      const db = new Database(file, { readonly: true });
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        const present = new Set((db.prepare('SELECT id FROM sales').all() as { id: number }[]).map((r) => r.id));
        const missing = allAcked.filter((id) => !present.has(id));
        expect(missing, `round ${i}: acknowledged but lost`).toEqual([]);
        const raw = db
          .prepare("SELECT sum(amount_fen) a, sum(quantity) q, count(*) n FROM sales WHERE status IN ('placed','paid')")
          .get();
        const rollup = db.prepare('SELECT sum(gmv_fen) a, sum(units) q, sum(orders) n FROM sales_minute').get();
        expect(rollup).toEqual(raw);
      } finally {
        db.close();
      }
    }
    expect(new Set(allAcked).size).toBe(allAcked.length);
    // Proof the kills landed mid-stream: many writes were acknowledged overall.
    expect(allAcked.length).toBeGreaterThan(200);
  }, 240_000);
});
