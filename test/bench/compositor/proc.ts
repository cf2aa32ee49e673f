// The studio's processes as Linux sees them: every process descended from this bench (the studio
// host and Chromium with its zygotes, renderers, GPU and utility processes), read from /proc.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';

interface ProcStat {
  pid: number;
  ppid: number;
  /** utime + stime, clock ticks. */
  ticks: number;
}

/** /proc/<pid>/stat, parsed after the `(comm)` field, which may itself contain spaces. */
function readStat(pid: number): ProcStat | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // rest[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
    return { pid, ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]) };
  } catch {
    return undefined; // it exited meanwhile
  }
}

/** Every live process below `root` (not `root` itself). */
export function descendants(root = process.pid): ProcStat[] {
  const all = fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((d) => readStat(Number(d)))
    .filter((s): s is ProcStat => s !== undefined);
  const children = new Map<number, ProcStat[]>();
  for (const s of all) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const out: ProcStat[] = [];
  const walk = (pid: number) => {
    for (const c of children.get(pid) ?? []) {
      out.push(c);
      walk(c.pid);
    }
  };
  walk(root);
  return out;
}

let clockTicks: number | undefined;
const ticksPerSecond = () => (clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100);

/** A CPU-time reading of the studio's processes, to diff against a later one. */
export interface CpuMark {
  at: number;
  ticks: Map<number, number>;
}

export function cpuMark(): CpuMark {
  return { at: performance.now(), ticks: new Map(descendants().map((s) => [s.pid, s.ticks])) };
}

/**
 * CPU used by the studio's processes between two marks, in % of the whole machine (100 = every
 * core busy). A process that started in between counts from zero; one that exited is lost.
 */
export function cpuShare(from: CpuMark, to: CpuMark): { percent: number; seconds: number } {
  let ticks = 0;
  for (const [pid, t] of to.ticks) ticks += t - (from.ticks.get(pid) ?? 0);
  const seconds = ticks / ticksPerSecond();
  const wall = (to.at - from.at) / 1000;
  return { percent: (100 * seconds) / (wall * os.cpus().length), seconds };
}

function cmdline(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? 0 : Number(m[1]) / 1024;
  } catch {
    return 0;
  }
}

/** Resident memory (MB) of Chromium's renderer processes and of its GPU process (software GL lives there). */
export function chromiumRss(): { renderers: number[]; renderer: number; gpu: number } {
  const procs = descendants().map((s) => ({ pid: s.pid, cmd: cmdline(s.pid) }));
  const renderers = procs.filter((p) => p.cmd.includes('--type=renderer')).map((p) => rssMb(p.pid));
  const gpu = procs.filter((p) => p.cmd.includes('--type=gpu-process')).reduce((sum, p) => sum + rssMb(p.pid), 0);
  return { renderers, renderer: renderers.reduce((a, b) => a + b, 0), gpu };
}
