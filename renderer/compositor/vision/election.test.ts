import { describe, expect, it } from 'vitest';

import type { VisionRole } from './election';
import { VisionElection } from './election';
import { FakeLocks, settle } from './fakes.test-support';

function window(locks: FakeLocks | undefined, name: string, role: VisionRole) {
  const changes: boolean[] = [];
  const election = new VisionElection('harvest-vision-engine', role, locks?.as(name), (leader) => changes.push(leader));
  return { election, changes };
}

/** A program window that leads and a control window's preview, opened after it, that waits. */
async function programWithWaitingPreview() {
  const locks = new FakeLocks();
  const program = window(locks, 'program', 'program');
  const preview = window(locks, 'control', 'preview');
  program.election.start();
  preview.election.start();
  await settle();
  return { locks, program, preview };
}

describe('VisionElection', () => {
  it('the program takes inference from a preview that leads, and gives it back when its window closes', async () => {
    const locks = new FakeLocks();
    const preview = window(locks, 'control', 'preview');
    preview.election.start();
    await settle();
    expect(preview.election.isLeader).toBe(true);

    const program = window(locks, 'program', 'program');
    program.election.start();
    await settle();
    expect(program.election.isLeader).toBe(true);
    expect(preview.election.isLeader).toBe(false);
    expect(preview.changes).toEqual([true, false]);
    expect(locks.holderName).toBe('program');

    // The program window closes without saying goodbye (crash, OBS removed the source).
    locks.closeWindow('program');
    await settle();
    expect(preview.election.isLeader).toBe(true);
    expect(preview.changes).toEqual([true, false, true]);
  });

  it('a preview opened after the program waits, and leads once the program leaves', async () => {
    const { program, preview } = await programWithWaitingPreview();
    expect(program.election.isLeader).toBe(true);
    expect(preview.election.isLeader).toBe(false);
    expect(preview.changes).toEqual([]);

    program.election.close();
    await settle();
    expect(program.election.isLeader).toBe(false);
    expect(preview.election.isLeader).toBe(true);
  });

  it('a second program steals from the first, which takes over again when the second closes', async () => {
    const locks = new FakeLocks();
    const first = window(locks, 'a', 'program');
    const second = window(locks, 'b', 'program');
    first.election.start();
    await settle();
    second.election.start();
    await settle();
    expect([first.election.isLeader, second.election.isLeader]).toEqual([false, true]);
    second.election.close();
    await settle();
    expect(first.election.isLeader).toBe(true);
    expect(first.changes).toEqual([true, false, true]);
  });

  it('a preview that closes while it waits never leads', async () => {
    const { locks, program, preview } = await programWithWaitingPreview();
    preview.election.close();
    program.election.close();
    await settle();
    expect(preview.changes).toEqual([]);
    expect(locks.holderName).toBeUndefined();
  });

  it('a hidden program hands inference to a waiting preview and takes it back when shown', async () => {
    const locks = new FakeLocks();
    const program = window(locks, 'program', 'program');
    program.election.start();
    await settle();
    // Nobody waits: hiding keeps the lead (no restart of the models for nothing).
    program.election.setHidden(true);
    await settle();
    expect(program.election.isLeader).toBe(true);
    program.election.setHidden(false);

    const preview = window(locks, 'control', 'preview');
    preview.election.start();
    await settle();
    program.election.setHidden(true);
    await settle();
    expect(program.election.isLeader).toBe(false);
    expect(preview.election.isLeader).toBe(true);
    program.election.setHidden(false);
    await settle();
    expect(program.election.isLeader).toBe(true);
    expect(preview.election.isLeader).toBe(false);
    expect(preview.changes).toEqual([true, false]);
    // And the preview queued again: it leads when the program leaves.
    program.election.close();
    await settle();
    expect(preview.election.isLeader).toBe(true);
  });

  it('without Web Locks, or when they are refused, the window leads alone', async () => {
    const alone = window(undefined, 'x', 'preview');
    alone.election.start();
    expect(alone.election.isLeader).toBe(true);

    const refusing = new VisionElection(
      'n',
      'preview',
      { request: () => Promise.reject(Object.assign(new Error('denied'), { name: 'SecurityError' })) },
      () => undefined,
    );
    refusing.start();
    await settle();
    expect(refusing.isLeader).toBe(true);

    const throwing = new VisionElection(
      'n',
      'program',
      {
        request: () => {
          throw new Error('no');
        },
      },
      () => undefined,
    );
    throwing.start();
    await settle();
    expect(throwing.isLeader).toBe(true);
  });
});
