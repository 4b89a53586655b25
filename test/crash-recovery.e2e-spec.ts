import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@app/event-store';
import { type ApiProcess, ensureApiBuilt, startApiProcess } from './support/api-process.js';
import { anIncident, CENTRALA_DANDERYD_BOUNDARY, MORBY_CENTRUM } from './support/fixtures.js';

/**
 * The API as a real process on SQLite, killed with SIGKILL while hundreds of incidents are in flight:
 * after a restart, every incident that was answered 201 is there, and no stream has a gap or a
 * repeated revision.
 */
describe('crash recovery on the embedded store', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'samverkan-crash-'));
  let api: ApiProcess | undefined;

  beforeAll(() => ensureApiBuilt(), 60_000);
  afterAll(async () => {
    await api?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const post = (url: string, path: string, body: unknown) =>
    fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('keeps every acknowledged incident across a SIGKILL', async () => {
    api = await startApiProcess({ DATA_DIR: dataDir });
    const { url } = api;
    for (const [path, body] of [
      ['/municipalities', { municipalityId: 'danderyd', name: 'Danderyds kommun' }],
      ['/areas', { areaId: 'centrala-danderyd', municipalityId: 'danderyd', name: 'Centrala Danderyd', boundary: CENTRALA_DANDERYD_BOUNDARY }],
      ['/places', { placeId: 'morby-centrum', areaId: 'centrala-danderyd', name: 'Mörby centrum', location: MORBY_CENTRUM }],
    ] as const) {
      expect((await post(url, path, body)).status).toBe(201);
    }

    const total = 400;
    const killAfter = 150;
    const acknowledged: string[] = [];
    let failed = 0;
    let killing: Promise<void> | undefined;
    const ids = Array.from({ length: total }, () => randomUUID());
    let next = 0;
    // 48 clients, each posting one incident after another, until the process dies under them.
    await Promise.all(
      Array.from({ length: 48 }, async () => {
        while (next < ids.length) {
          const incidentId = ids[next++];
          try {
            const response = await post(url, '/incidents', anIncident({ incidentId }));
            if (response.status === 201) acknowledged.push(incidentId);
            else failed++;
          } catch {
            failed++;
          }
          if (acknowledged.length >= killAfter && !killing) killing = api!.kill();
        }
      }),
    );
    await killing;
    expect(acknowledged.length).toBeGreaterThanOrEqual(killAfter);
    // Some requests must have been cut off by the kill, or the test proved nothing.
    expect(failed).toBeGreaterThan(0);

    api = await startApiProcess({ DATA_DIR: dataDir });
    for (const incidentId of acknowledged) {
      const response = await fetch(`${api.url}/incidents/${incidentId}`);
      expect(response.status).toBe(200);
    }
    await api.stop();
    api = undefined;

    const store = new SqliteEventStore({ file: join(dataDir, 'events.sqlite') });
    const log = await store.readAll();
    await store.close();
    const revisions = new Map<string, bigint[]>();
    for (const event of log) revisions.set(event.stream, [...(revisions.get(event.stream) ?? []), event.revision]);
    for (const [, list] of revisions) expect(list).toEqual(list.map((_, i) => BigInt(i)));
    expect(new Set(log.map((e) => e.position)).size).toBe(log.length);
    expect(new Set(log.map((e) => e.id)).size).toBe(log.length);
    const recorded = new Set(log.filter((e) => e.type === 'IncidentRecorded').map((e) => (e.data as { incidentId: string }).incidentId));
    for (const incidentId of acknowledged) expect(recorded.has(incidentId)).toBe(true);
  }, 60_000);
});
