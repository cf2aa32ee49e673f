import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { describe, expect, it, vi } from 'vitest';

import { useTempDirs } from '../../../test/support/temp-dirs';
import { createNullLogger } from '../logger';
import type { ScanHandlers } from './import-client';
import { ImportWorkerClient } from './import-client';
import type { ScanResult } from './import-scan';

const tempDir = useTempDirs('harvest-client-');

/** A two-order 抖店-style CSV. */
function ordersFile(): string {
  const file = path.join(tempDir(), 'orders.csv');
  fs.writeFileSync(
    file,
    '主订单编号,子订单编号,选购商品,商品数量,订单应付金额,订单提交时间,订单状态\n' +
      '6900001,69000011,赣南脐橙 5斤装,1,59.90,2026-04-15 20:01:02,已支付\n' +
      '6900002,69000021,赣南脐橙 5斤装,2,119.80,2026-04-15 20:02:03,已支付\n',
  );
  return file;
}

/** One file scanned; `onBatch` runs as each batch arrives, while the worker waits for its answer. */
function scanOnce(
  client: ImportWorkerClient,
  job: string,
  file: string,
  onBatch: () => void = () => undefined,
): Promise<{ result: ScanResult; lines: number }> {
  let lines = 0;
  const handlers: ScanHandlers = {
    begin: () => Promise.resolve(),
    batch: (columns) => {
      lines += columns.count;
      onBatch();
      return Promise.resolve();
    },
    progress: () => undefined,
  };
  return client
    .scan(
      job,
      { source: { kind: 'path', path: file }, platform: 'auto', timeZone: 'Asia/Shanghai', savedMappings: [] },
      handlers,
    )
    .then((result) => ({ result, lines }));
}

/** The scheduling priority of each thread of this process. */
function threadPriorities(): number[] {
  return fs.readdirSync('/proc/self/task').map((tid) => os.getPriority(Number(tid)));
}

describe('import worker client', () => {
  it('reads files on a thread below normal priority, the rest of the process as it was (Linux)', async () => {
    if (process.platform !== 'linux') return;
    const client = new ImportWorkerClient(createNullLogger());
    const normal = os.getPriority(process.pid);
    let during: number[] = [];
    try {
      // Asked while a batch waits for its answer: the worker is there, mid-file.
      await scanOnce(client, 'job-priority', ordersFile(), () => (during = threadPriorities()));
    } finally {
      await client.close();
    }
    const below = Math.max(normal, os.constants.priority.PRIORITY_BELOW_NORMAL);
    expect(during.filter((p) => p === below)).toHaveLength(1);
    expect(during.filter((p) => p !== below).every((p) => p === normal)).toBe(true);
    expect(os.getPriority(process.pid)).toBe(normal);
  });

  it('ends its worker a moment after the last scan, and starts a new one for the next file', async () => {
    const client = new ImportWorkerClient(createNullLogger());
    try {
      const file = ordersFile();
      const first = await scanOnce(client, 'job-1', file);
      expect(first.result.kind).toBe('staged');
      expect(first.lines).toBe(2);
      // Its heap is not kept through the commit that follows.
      await vi.waitFor(() => expect(client.isWorkerRunning).toBe(false), { timeout: 5000, interval: 20 });
      const second = await scanOnce(client, 'job-2', file);
      expect(second.lines).toBe(2);
    } finally {
      await client.close();
    }
  });
});
