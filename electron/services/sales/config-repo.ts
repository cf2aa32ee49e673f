import type { SalesConfig } from '../../../shared/api/sales';
import type { SalesConnection } from './connection';

// The config repository: the sales settings (the attribution grace window) and small named
// settings other parts keep in the log's config table.

const defaultGraceMs = 120_000;

export class ConfigRepo {
  private cachedConfig: SalesConfig | undefined;

  constructor(private readonly conn: SalesConnection) {}

  config(): SalesConfig {
    // Read once and kept: every sale's attribution needs it, and only updateConfig changes it.
    if (this.cachedConfig !== undefined) return this.cachedConfig;
    const row = this.conn.stmt("SELECT value FROM config WHERE key = 'graceMs'").get() as { value: string } | undefined;
    const graceMs = row === undefined ? defaultGraceMs : Number(row.value);
    this.cachedConfig = { graceMs: Number.isSafeInteger(graceMs) && graceMs >= 0 ? graceMs : defaultGraceMs };
    return this.cachedConfig;
  }

  updateConfig(patch: Partial<SalesConfig>): SalesConfig {
    if (patch.graceMs !== undefined) {
      this.conn.stmt("INSERT OR REPLACE INTO config (key, value) VALUES ('graceMs', ?)").run(String(patch.graceMs));
    }
    this.cachedConfig = undefined;
    return this.config();
  }

  getSetting(key: string): string | null {
    const row = this.conn.stmt('SELECT value FROM config WHERE key = ?').get(`x:${key}`) as
      { value: string } | undefined;
    return row?.value ?? null;
  }

  setSetting(key: string, value: string): void {
    this.conn.stmt('INSERT OR REPLACE INTO config (key, value) VALUES (?, ?)').run(`x:${key}`, value);
  }
}
