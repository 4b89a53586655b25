import autocannon from 'autocannon';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApi } from './api-process.js';

export interface HttpBenchOptions {
  apiMain: string;
  connections: number;
  durationSeconds: number;
}

/**
 * CPU time (user + system) the process has used so far, in µs, from /proc on Linux; undefined elsewhere.
 * Per request it is a steadier figure than requests/s on a shared machine, where the other load
 * decides how much of the CPU the API gets.
 */
function cpuMicros(pid: number | undefined): number | undefined {
  const stat = `/proc/${pid}/stat`;
  if (pid === undefined || !existsSync(stat)) return undefined;
  // Fields after the command name: utime and stime are the 12th and 13th, in clock ticks (100 a second on Linux).
  const text = readFileSync(stat, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

/**
 * POST /incidents through HTTP on the embedded default, the API in its own process.
 * BENCH_HTTP_API names another built API main to run instead (to compare two builds in turns).
 */
export async function httpBench(options: HttpBenchOptions): Promise<void> {
  const dataDir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'samverkan-http-bench-'));
  const apiMain = process.env.BENCH_HTTP_API ?? options.apiMain;
  const api = await startApi(apiMain, dataDir);
  try {
    const post = (path: string, body: unknown) =>
      fetch(`${api.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await post('/municipalities', { municipalityId: 'danderyd', name: 'Danderyds kommun' });
    await post('/areas', { areaId: 'centrala-danderyd', municipalityId: 'danderyd', name: 'Centrala Danderyd' });
    const seeded = await post('/places', { placeId: 'morby-centrum', areaId: 'centrala-danderyd', name: 'Mörby centrum', location: { lat: 59.3983, lon: 18.0357 } });
    if (seeded.status !== 201) throw new Error(`seeding failed: ${seeded.status}`);

    const body = JSON.stringify({
      occurredAt: '2024-05-10T22:15:00+02:00',
      category: 'vandalism',
      source: 'security-guards',
      placeId: 'morby-centrum',
      description: 'Krossad glasruta vid entrén mot Golfvägen.',
    });
    const request = { method: 'POST' as const, path: '/incidents', headers: { 'content-type': 'application/json' }, body };
    // Warm up the JIT and the connection pool, then measure.
    await autocannon({ url: api.url, connections: options.connections, duration: 2, requests: [request] });
    const cpuBefore = cpuMicros(api.child.pid);
    const result = await autocannon({ url: api.url, connections: options.connections, duration: options.durationSeconds, requests: [request] });
    const cpuAfter = cpuMicros(api.child.pid);
    const non2xx = result.non2xx + result.errors + result.timeouts;
    const projections = process.env.RUN_PROJECTOR === 'false' ? 'projector apart' : 'projections in the API process';
    console.log(`\nPOST /incidents, ${options.connections} connections, ${options.durationSeconds} s (API in its own process, SQLite, durable, ${projections})`);
    if (process.env.BENCH_HTTP_API) console.log(`  API: ${apiMain}`);
    console.log(`  requests/s: mean ${Math.round(result.requests.average)}, total ${result.requests.total}, not 201: ${non2xx}`);
    console.log(`  latency ms: p50 ${result.latency.p50}, p90 ${result.latency.p90}, p99 ${result.latency.p99}, max ${result.latency.max}`);
    if (cpuBefore !== undefined && cpuAfter !== undefined && result.requests.total > 0) {
      console.log(`  API CPU per request: ${Math.round((cpuAfter - cpuBefore) / result.requests.total)} µs`);
    }
    if (non2xx > 0) throw new Error(`${non2xx} requests were not answered 201`);
  } finally {
    await api.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
