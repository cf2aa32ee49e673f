import fs from 'node:fs';
import path from 'node:path';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

/** A named logger. App code logs through these, never through `console`. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(name: string): Logger;
}

export interface LogSinkOptions {
  /** Folder for `studio.log` and its rotated copies; omit to log to stderr only. */
  dir?: string;
  maxBytes?: number;
  keep?: number;
  /** Also echo to stderr (the host does, Electron in development). */
  echo?: boolean;
  minLevel?: LogLevel;
}

const levelRank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const secretKeys = /pass(word)?|secret|token|key/i;

/** Replaces values of secret-looking fields so passwords and stream keys never reach a log. */
export function redact(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [k, v] of Object.entries(fields)) out[k] = secretKeys.test(k) ? '[redacted]' : v;
  return out;
}

/** Appends JSON lines to a file that rotates by size (`studio.log`, `studio.1.log`, …). */
export class RotatingLogSink {
  private readonly file: string | undefined;
  private size = 0;

  constructor(private readonly options: LogSinkOptions) {
    if (options.dir !== undefined) {
      fs.mkdirSync(options.dir, { recursive: true });
      this.file = path.join(options.dir, 'studio.log');
      try {
        this.size = fs.statSync(this.file).size;
      } catch {
        this.size = 0;
      }
    }
  }

  write(level: LogLevel, name: string, message: string, fields: LogFields | undefined): void {
    if (levelRank[level] < levelRank[this.options.minLevel ?? 'info']) return;
    const line =
      JSON.stringify({
        t: new Date().toISOString(),
        level,
        name,
        msg: message,
        ...(fields === undefined ? {} : redact(fields)),
      }) + '\n';
    if (this.options.echo === true) process.stderr.write(`[${name}] ${level}: ${message}\n`);
    if (this.file === undefined) return;
    try {
      if (this.size + line.length > (this.options.maxBytes ?? 5 * 1024 * 1024)) this.rotate();
      fs.appendFileSync(this.file, line);
      this.size += Buffer.byteLength(line);
    } catch {
      // Logging must never take the studio down (full disk, removed folder).
    }
  }

  private rotate(): void {
    const file = this.file;
    if (file === undefined) return;
    const keep = this.options.keep ?? 5;
    const rotated = (n: number) => file.replace(/\.log$/, `.${n}.log`);
    fs.rmSync(rotated(keep), { force: true });
    for (let n = keep - 1; n >= 1; n--) {
      if (fs.existsSync(rotated(n))) fs.renameSync(rotated(n), rotated(n + 1));
    }
    fs.renameSync(file, rotated(1));
    this.size = 0;
  }
}

export function createLogger(name: string, sink: RotatingLogSink): Logger {
  const log = (level: LogLevel) => (message: string, fields?: LogFields) => sink.write(level, name, message, fields);
  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: (child) => createLogger(`${name}.${child}`, sink),
  };
}

/** A logger that drops everything; for tests. */
export function createNullLogger(): Logger {
  const noop = () => undefined;
  const logger: Logger = { debug: noop, info: noop, warn: noop, error: noop, child: () => logger };
  return logger;
}
