import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** Small helpers to time a phase and watch its peak memory. */
export interface PhaseResult {
  phase: string;
  events: number;
  seconds: number;
  eventsPerSecond: number;
  peakRssMiB: number;
  peakHeapMiB: number;
  /** Main-thread and thread-pool CPU time (user + system) per event: steadier than the rate on a shared machine. */
  cpuMicrosPerEvent: number;
  /** The same CPU time in all, in seconds. */
  cpuSeconds: number;
}

export async function measure(phase: string, events: number, run: () => Promise<void>): Promise<PhaseResult> {
  (globalThis as { gc?: () => void }).gc?.();
  let peakRss = process.memoryUsage().rss;
  let peakHeap = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  }, 20);
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  await run();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  clearInterval(sampler);
  const usage = process.memoryUsage();
  peakRss = Math.max(peakRss, usage.rss);
  peakHeap = Math.max(peakHeap, usage.heapUsed);
  const result = {
    phase,
    events,
    seconds: round(seconds, 2),
    eventsPerSecond: Math.round(events / seconds),
    peakRssMiB: round(peakRss / 2 ** 20, 1),
    peakHeapMiB: round(peakHeap / 2 ** 20, 1),
    cpuMicrosPerEvent: round((cpu.user + cpu.system) / events, 1),
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
  console.log(
    `${phase.padEnd(52)} ${String(result.eventsPerSecond).padStart(9)} events/s  ${String(result.seconds).padStart(7)} s  ${String(result.cpuMicrosPerEvent).padStart(6)} µs CPU/event  peak RSS ${result.peakRssMiB} MiB, heap ${result.peakHeapMiB} MiB`,
  );
  return result;
}

export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/**
 * CPU seconds (user + system) of each thread of this process, by thread id, read from Linux's
 * /proc; undefined elsewhere. The clock ticks are taken as 100 per second, Linux's USER_HZ.
 */
export function threadCpuSeconds(): Map<number, number> | undefined {
  const tasks = '/proc/self/task';
  if (!existsSync(tasks)) return undefined;
  const seconds = new Map<number, number>();
  for (const tid of readdirSync(tasks)) {
    let stat: string;
    try {
      stat = readFileSync(`${tasks}/${tid}/stat`, 'utf8');
    } catch {
      continue; // The thread ended meanwhile.
    }
    // The command name (in parentheses) may hold spaces: the fields counted here come after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    seconds.set(Number(tid), (Number(fields[11]) + Number(fields[12])) / 100);
  }
  return seconds;
}

/** The machine's CPU time by kind, in clock ticks summed over its CPUs: Linux's /proc/stat. */
export interface HostTicks {
  /** Running anything: user, nice, system, irq and softirq. */
  busy: number;
  /** Taken by the hypervisor for other guests while this machine had work to run. */
  steal: number;
  /** Idle while a process waited for the disk. */
  iowait: number;
  /** Every tick counted, idle and waiting for disk included. */
  total: number;
}

/** The machine's CPU ticks so far; undefined where /proc/stat is not. */
export function hostTicks(): HostTicks | undefined {
  if (!existsSync('/proc/stat')) return undefined;
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
  // cpu user nice system idle iowait irq softirq steal guest guest_nice (guest time is in user already).
  const [user, nice, system, idle, iowait, irq, softirq, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number);
  const busy = user + nice + system + irq + softirq;
  return { busy, steal, iowait, total: busy + idle + iowait + steal };
}

/**
 * What else the machine's CPUs did over a phase, as shares of all their time: `steal`, time the
 * hypervisor gave other guests on a shared host (a figure made while it is high says less about
 * this code); `others`, what processes besides this one ran (`ownSeconds`: this process's CPU);
 * `iowait`, idle time while something waited for the disk.
 */
export function hostShares(before: HostTicks, after: HostTicks, ownSeconds: number): { steal: number; others: number; iowait: number } {
  const total = after.total - before.total;
  if (total <= 0) return { steal: 0, others: 0, iowait: 0 };
  const ownTicks = ownSeconds * 100; // USER_HZ
  return {
    steal: (after.steal - before.steal) / total,
    others: Math.max(0, after.busy - before.busy - ownTicks) / total,
    iowait: (after.iowait - before.iowait) / total,
  };
}
