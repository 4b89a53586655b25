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
