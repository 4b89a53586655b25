import autocannon from 'autocannon';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays, INCIDENT_CATEGORY_IDS, INCIDENT_SOURCES, periodOf } from '@app/domain';
import { startApi } from './api-process.js';

export interface SituationPictureQueryBenchOptions {
  apiMain: string;
  connections: number;
  durationSeconds: number;
  /** Incidents recorded before measuring (BENCH_PICTURE_INCIDENTS). */
  incidents: number;
}

const DISTRICTS = ['danderyd', 'djursholm', 'enebyberg', 'stocksund'];
const PLACES_PER_DISTRICT = 3;

/**
 * GET /situation-pictures/{m}/{period} through HTTP on the embedded default (the projections run in
 * the API process), after recording incidents over the two years before the period through the API.
 */
export async function situationPictureQueryBench(options: SituationPictureQueryBenchOptions): Promise<void> {
  const dataDir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'samverkan-picture-bench-'));
  const api = await startApi(options.apiMain, dataDir);
  try {
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${api.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (response.status !== 201) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as { position: string };
    };
    await post('/municipalities', { municipalityId: 'danderyd', name: 'Danderyds kommun' });
    const places: string[] = [];
    for (const district of DISTRICTS) {
      await post('/areas', { areaId: district, municipalityId: 'danderyd', name: district });
      for (let i = 0; i < PLACES_PER_DISTRICT; i++) {
        const placeId = `${district}-plats-${i}`;
        await post('/places', { placeId, areaId: district, name: placeId, location: { lat: 59.39 + i / 1000, lon: 18.03 + i / 1000 } });
        places.push(placeId);
      }
    }

    // The period that ended most recently, and incidents over the two years before its end, a tenth of them in it.
    const today = new Date().toISOString().slice(0, 10);
    const period = periodOf(addDays(periodOf(today).periodStart, -1));
    const periodStartMs = Date.parse(`${period.periodStart}T00:00:00Z`);
    const twoYearsMs = 730 * 86_400_000;
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    let last = '0';
    const started = Date.now();
    const inFlight = new Set<Promise<void>>();
    for (let i = 0; i < options.incidents; i++) {
      const at = i % 10 === 0 ? periodStartMs + random() * 13 * 86_400_000 : periodStartMs - random() * twoYearsMs;
      const body = {
        occurredAt: new Date(Math.floor(at / 60_000) * 60_000).toISOString(),
        category: INCIDENT_CATEGORY_IDS[Math.floor(random() * INCIDENT_CATEGORY_IDS.length)],
        source: INCIDENT_SOURCES[Math.floor(random() * INCIDENT_SOURCES.length)],
        placeId: places[Math.floor(random() * places.length)],
      };
      const sent = post('/incidents', body).then(({ position }) => {
        if (BigInt(position) > BigInt(last)) last = position;
      });
      inFlight.add(sent);
      void sent.finally(() => inFlight.delete(sent));
      if (inFlight.size >= 32) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    const path = `/situation-pictures/danderyd/${period.periodStart}`;
    const first = await fetch(`${api.url}${path}?consistentWith=${last}`);
    if (first.status !== 200) throw new Error(`GET ${path}: ${first.status} ${await first.text()}`);
    const picture = (await first.json()) as { total: number };
    console.log(
      `\nGET ${path}, ${options.connections} connections, ${options.durationSeconds} s (embedded default, projections in the API process)`,
    );
    console.log(`  seeded ${options.incidents} incidents through POST /incidents in ${((Date.now() - started) / 1000).toFixed(1)} s; the picture counts ${picture.total}`);

    const request = { method: 'GET' as const, path };
    await autocannon({ url: api.url, connections: options.connections, duration: 2, requests: [request] });
    const result = await autocannon({ url: api.url, connections: options.connections, duration: options.durationSeconds, requests: [request] });
    const failed = result.non2xx + result.errors + result.timeouts;
    console.log(`  requests/s: mean ${Math.round(result.requests.average)}, total ${result.requests.total}, not 200: ${failed}`);
    console.log(`  latency ms: p50 ${result.latency.p50}, p90 ${result.latency.p90}, p99 ${result.latency.p99}, max ${result.latency.max}`);
    console.log(`  target: p99 < 10 ms — ${result.latency.p99 < 10 ? 'met' : 'NOT met'}`);
    if (failed > 0) throw new Error(`${failed} requests were not answered 200`);
  } finally {
    await api.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
