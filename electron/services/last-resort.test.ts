import { EventEmitter } from 'node:events';

import { describe, expect, it, vi } from 'vitest';

import { installLastResort } from './last-resort';
import type { Logger } from './logger';

function fakeLogger() {
  const errors: string[] = [];
  const logger = { error: (m: string) => errors.push(m), warn: vi.fn(), info: vi.fn(), debug: vi.fn() };
  return { logger: logger as unknown as Logger, errors };
}

describe('last-resort handler', () => {
  it('logs a stray exception and rejection and keeps the process up', () => {
    const target = new EventEmitter();
    const { logger, errors } = fakeLogger();
    const exit = vi.fn();
    const guard = installLastResort(logger, { strict: false, exit, target: target as unknown as NodeJS.Process });
    target.emit('uncaughtException', new Error('boom'));
    target.emit('unhandledRejection', new Error('lost'));
    expect(guard.faults).toBe(2);
    expect(errors).toEqual(['last-resort: uncaught exception', 'last-resort: unhandled rejection']);
    expect(exit).not.toHaveBeenCalled();
    guard.uninstall();
    expect(target.listenerCount('uncaughtException')).toBe(0);
  });

  it('exits with 70 in strict mode, so a test run fails on the fault', () => {
    const target = new EventEmitter();
    const { logger } = fakeLogger();
    const exit = vi.fn();
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    installLastResort(logger, { strict: true, exit, target: target as unknown as NodeJS.Process });
    target.emit('uncaughtException', new Error('boom'));
    stderr.mockRestore();
    expect(exit).toHaveBeenCalledWith(70);
  });
});
