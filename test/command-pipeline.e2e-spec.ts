import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { anIncident, seedDanderyd } from './support/fixtures.js';
import { logSnapshot, startTestApp, type TestApp } from './support/test-app.js';

describe('conditional and idempotent commands over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await seedDanderyd(t);
  });
  afterAll(async () => {
    await t.close();
  });

  const record = async () => (await t.http().post('/incidents').send(anIncident())).body.id as string;

  describe('If-Match', () => {
    it('applies a command when the stream is at the named revision', async () => {
      const id = await record();
      const response = await t.http().post(`/incidents/${id}/classification`).set('if-match', '"0"').send({ category: 'graffiti' });
      expect(response.status).toBe(201);
      expect(response.headers.etag).toBe('"1"');
    });

    it('answers 412 when the stream has moved on, and appends nothing', async () => {
      const id = await record();
      await t.http().post(`/incidents/${id}/classification`).send({ category: 'graffiti' });
      const before = await logSnapshot(t.store);
      const response = await t.http().post(`/incidents/${id}/classification`).set('if-match', '"0"').send({ category: 'drugs' });
      expect(response.status).toBe(412);
      expect(response.body).toMatchObject({ code: 'PRECONDITION_FAILED', expectedRevision: '0', currentRevision: '1' });
      expect(await logSnapshot(t.store)).toEqual(before);
    });

    it('lets exactly one of many concurrent conditional commands through', async () => {
      const id = await record();
      const categories = ['graffiti', 'drugs', 'assault', 'robbery', 'littering', 'other', 'shoplifting', 'vehicle-fire'];
      const responses = await Promise.all(
        categories.map((category) => t.http().post(`/incidents/${id}/classification`).set('if-match', '"0"').send({ category })),
      );
      expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
      expect(responses.filter((r) => r.status === 412)).toHaveLength(categories.length - 1);
      expect((await t.store.readStream(`incident-${id}`)).map((e) => e.revision)).toEqual([0n, 1n]);
    });

    it('refuses a malformed If-Match with 400 naming the header', async () => {
      const id = await record();
      const response = await t.http().post(`/incidents/${id}/classification`).set('if-match', 'W/"0"').send({ category: 'graffiti' });
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([{ field: 'If-Match', message: expect.any(String) }]);
    });

    it('without If-Match, concurrent commands on one stream are decided one after another', async () => {
      const id = await record();
      const responses = await Promise.all(
        ['graffiti', 'drugs', 'assault'].map((category) => t.http().post(`/incidents/${id}/classification`).send({ category })),
      );
      expect(responses.map((r) => r.status).sort()).toEqual([201, 201, 201]);
      expect((await t.store.readStream(`incident-${id}`)).map((e) => e.revision)).toEqual([0n, 1n, 2n, 3n]);
    });
  });

  describe('Idempotency-Key', () => {
    it('answers a retry with the first answer and appends nothing, also for a generated id', async () => {
      const key = randomUUID();
      const first = await t.http().post('/incidents').set('idempotency-key', key).send(anIncident());
      expect(first.status).toBe(201);
      const before = await logSnapshot(t.store);
      const retry = await t.http().post('/incidents').set('idempotency-key', key).send(anIncident());
      expect(retry.status).toBe(201);
      expect(retry.body).toEqual(first.body);
      expect(retry.headers.etag).toBe(first.headers.etag);
      expect(retry.headers.location).toBe(first.headers.location);
      expect(await logSnapshot(t.store)).toEqual(before);
    });

    it('treats the same body with its keys in another order as the same request', async () => {
      const key = randomUUID();
      const first = await t.http().post('/incidents').set('idempotency-key', key).send({ source: 'citizen', category: 'graffiti', placeId: 'morby-centrum', occurredAt: '2024-05-01T10:00:00Z' });
      const retry = await t.http().post('/incidents').set('idempotency-key', key).send({ occurredAt: '2024-05-01T10:00:00Z', placeId: 'morby-centrum', category: 'graffiti', source: 'citizen' });
      expect(retry.body).toEqual(first.body);
    });

    it('answers 422 for the same key with another body, and appends nothing', async () => {
      const key = randomUUID();
      await t.http().post('/incidents').set('idempotency-key', key).send(anIncident());
      const before = await logSnapshot(t.store);
      const response = await t.http().post('/incidents').set('idempotency-key', key).send(anIncident({ category: 'graffiti' }));
      expect(response.status).toBe(422);
      expect(response.body).toMatchObject({ code: 'IDEMPOTENCY_KEY.REUSED', idempotencyKey: key });
      expect(await logSnapshot(t.store)).toEqual(before);
    });

    it('gives concurrent retries of one key one effect and one answer', async () => {
      const key = randomUUID();
      const id = await record();
      const responses = await Promise.all(
        Array.from({ length: 6 }, () => t.http().post(`/incidents/${id}/classification`).set('idempotency-key', key).send({ category: 'graffiti' })),
      );
      expect(new Set(responses.map((r) => r.status))).toEqual(new Set([201]));
      expect(new Set(responses.map((r) => JSON.stringify(r.body))).size).toBe(1);
      expect(await t.store.readStream(`incident-${id}`)).toHaveLength(2);
    });
  });
});
