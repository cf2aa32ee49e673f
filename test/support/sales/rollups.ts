import Database from 'better-sqlite3';

import { rollupInsertSql } from '../../../electron/services/sales/migrations';

/**
 * The per-minute roll-up of a sales database as stored, and as grouped again from its sales
 * table (rows that sum to nothing left out): equal whenever every writer kept it right.
 */
export function rollupsOf(file: string): { stored: unknown[]; fromSales: unknown[] } {
  const db = new Database(file);
  try {
    const read = () =>
      db
        .prepare(
          'SELECT * FROM sales_minute WHERE orders <> 0 OR gmv_fen <> 0 OR refunded_fen <> 0 ORDER BY 1, 2, 3, 4',
        )
        .all();
    const stored = read();
    db.exec('SAVEPOINT check_rollup');
    db.exec('DELETE FROM sales_minute');
    db.prepare(rollupInsertSql('true')).run();
    const fromSales = read();
    db.exec('ROLLBACK TO check_rollup');
    return { stored, fromSales };
  } finally {
    db.close();
  }
}
