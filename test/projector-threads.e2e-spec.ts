import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ApiProcess, ensureApiBuilt, startApiProcess } from './support/api-process.js';
import { anIncident, CENTRALA_DANDERYD_BOUNDARY, MORBY_CENTRUM } from './support/fixtures.js';

interface Status {
  name: string;
  state: string;
  collection: string | null;
  checkpoint: string | null;
  runsHere: boolean;
}

/**
 * The built API as it runs by default, with its projections in two worker threads (PROJECTOR_THREADS):
 * commands on the main thread, read models written by the threads, and the projector's operations
 * (status, consistentWith, rebuild) answered across the threads.
 */
describe('projections in projector threads', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'samverkan-threads-'));
  let api: ApiProcess | undefined;
  let output = '';

  beforeAll(async () => {
    ensureApiBuilt();
    api = await startApiProcess({ DATA_DIR: dataDir, PROJECTOR_THREADS: '2', LOG_LEVEL: 'log' });
    api.child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  }, 60_000);
  afterAll(async () => {
    await api?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const post = async (path: string, body: unknown = {}) => {
    const response = await fetch(`${api!.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as Record<string, string> };
  };
  const get = async (path: string) => {
    const response = await fetch(`${api!.url}${path}`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const statuses = async () => (await get('/projections')).body.projections as Status[];

  it('runs every projection, live, in the threads', async () => {
    const all = await statuses();
    expect(all.map((status) => status.name)).toEqual(['incident-register', 'decision-log', 'situation-picture', 'goal-progress', 'guard-reinforcements']);
    for (const status of all) expect(status).toMatchObject({ state: 'live', runsHere: true });
    const ready = await get('/health/ready');
    expect(ready.status).toBe(200);
  });

  it('answers a query with consistentWith from read models a thread wrote', async () => {
    for (const [path, body] of [
      ['/municipalities', { municipalityId: 'danderyd', name: 'Danderyds kommun' }],
      ['/areas', { areaId: 'centrala-danderyd', municipalityId: 'danderyd', name: 'Centrala Danderyd', boundary: CENTRALA_DANDERYD_BOUNDARY }],
      ['/places', { placeId: 'morby-centrum', areaId: 'centrala-danderyd', name: 'Mörby centrum', location: MORBY_CENTRUM }],
    ] as const) {
      expect((await post(path, body)).status).toBe(201);
    }
    const incident = await post('/incidents', anIncident());
    expect(incident.status).toBe(201);

    const register = await get(`/incidents?municipalityId=danderyd&consistentWith=${incident.body.position}`);
    expect(register.status).toBe(200);
    expect(register.body.items).toEqual([expect.objectContaining({ id: incident.body.id, category: 'vandalism', lastPosition: incident.body.position })]);
    const picture = await get(`/situation-pictures/danderyd/2024-05-06?consistentWith=${incident.body.position}`);
    expect(picture.status).toBe(200);
    expect(picture.body).toMatchObject({ total: 1, byCategory: { vandalism: 1 } });
    // The checkpoints the two queries waited for, moved in two threads, are what /projections shows.
    for (const status of await statuses()) {
      if (status.name === 'incident-register' || status.name === 'situation-picture') {
        expect(BigInt(status.checkpoint ?? '0')).toBeGreaterThanOrEqual(BigInt(incident.body.position));
      }
    }
  });

  it('rebuilds a projection in its thread and switches the queries over to the new collection', async () => {
    const before = (await statuses()).find((status) => status.name === 'incident-register')!;
    expect((await post('/projections/incident-register/rebuild')).status).toBe(202);
    let after: Status | undefined;
    for (const deadline = Date.now() + 20_000; ; ) {
      after = (await statuses()).find((status) => status.name === 'incident-register');
      if (after?.state === 'live' && after.collection !== before.collection) break;
      if (Date.now() > deadline) throw new Error(`the rebuild did not switch over: ${JSON.stringify(after)}\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(after.collection).toBe('incident-register@v2.2');
    const register = await get('/incidents?municipalityId=danderyd');
    expect((register.body.items as unknown[]).length).toBe(1);
  });
});
