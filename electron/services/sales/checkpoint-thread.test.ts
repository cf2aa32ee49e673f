import fs from 'node:fs';
import path from 'node:path';

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';

import { useTempDirs } from '../../../test/support/temp-dirs';
import { CheckpointThread } from './checkpoint-thread';

const tempDir = useTempDirs('harvest-ckpt-');

/** A WAL database that never checkpoints on its own, with `rows` rows only in its WAL. */
function walDatabase(rows: number): { db: Database.Database; file: string } {
  const file = path.join(tempDir(), 'sales.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run(`row ${i}`);
  })();
  return { db, file };
}

/** Rows in the database file itself, read from a copy without its WAL. */
function rowsInMainFile(file: string): number {
  const copy = `${file}.copy`;
  fs.copyFileSync(file, copy);
  const db = new Database(copy, { readonly: true });
  try {
    const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 't'").get() !== undefined;
    return hasTable ? (db.prepare('SELECT count(*) n FROM t').get() as { n: number }).n : 0;
  } finally {
    db.close();
    fs.rmSync(copy);
  }
}

describe('checkpoint thread', () => {
  it('copies the WAL into the database file from its own connection, and closes it', async () => {
    const { db, file } = walDatabase(5000);
    expect(rowsInMainFile(file)).toBe(0);
    let isGone = false;
    const thread = new CheckpointThread({ file }, () => (isGone = true));
    await thread.checkpoint();
    expect(rowsInMainFile(file)).toBe(5000);
    // Asked again and again while one runs: every promise resolves, after the rows written before it.
    db.prepare('INSERT INTO t (v) VALUES (?)').run('one more');
    await Promise.all([thread.checkpoint(), thread.checkpoint(), thread.checkpoint()]);
    expect(rowsInMainFile(file)).toBe(5001);
    await thread.close();
    expect(isGone).toBe(true);
    // Its connection is closed: the last one to close (this) removes the WAL.
    db.close();
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
  });

  it('a thread that cannot open the file is gone at once, and its checkpoints still resolve', async () => {
    const dir = tempDir();
    let onGone: () => void = () => undefined;
    const gone = new Promise<void>((resolve) => (onGone = resolve));
    const thread = new CheckpointThread({ file: path.join(dir, 'missing.db') }, onGone);
    const asked = thread.checkpoint();
    await gone;
    await asked;
    await thread.checkpoint();
    expect(fs.existsSync(path.join(dir, 'missing.db'))).toBe(false);
  });
});
