import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CENTRALA_DANDERYD_BOUNDARY } from './support/fixtures.js';
import { logSnapshot, startTestApp, type TestApp } from './support/test-app.js';

describe('registry over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('registers a municipality: 201 with id, revision and position, ETag and Location', async () => {
    const response = await t.http().post('/municipalities').send({ municipalityId: 'danderyd', name: 'Danderyds kommun' });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ id: 'danderyd', revision: '0', position: expect.stringMatching(/^\d+$/) });
    expect(response.headers.etag).toBe('"0"');
    expect(response.headers.location).toBe('/municipalities/danderyd');
  });

  it('refuses to register a municipality twice, and the log is unchanged', async () => {
    const before = await logSnapshot(t.store);
    const response = await t.http().post('/municipalities').send({ municipalityId: 'danderyd', name: 'Danderyd igen' });
    expect(response.status).toBe(409);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 409, code: 'MUNICIPALITY.ALREADY_REGISTERED' });
    expect(await logSnapshot(t.store)).toEqual(before);
  });

  it('defines an area with a boundary in a registered municipality', async () => {
    const response = await t
      .http()
      .post('/areas')
      .send({ areaId: 'centrala-danderyd', municipalityId: 'danderyd', name: 'Centrala Danderyd', boundary: CENTRALA_DANDERYD_BOUNDARY });
    expect(response.status).toBe(201);
    const [event] = await t.store.readStream('area-centrala-danderyd');
    expect(event.type).toBe('AreaDefined');
    expect(event.data).toEqual({ areaId: 'centrala-danderyd', municipalityId: 'danderyd', name: 'Centrala Danderyd', boundary: CENTRALA_DANDERYD_BOUNDARY });
  });

  it('refuses an area of an unknown municipality with 422 naming the field', async () => {
    const response = await t.http().post('/areas').send({ areaId: 'roslags-nasby', municipalityId: 'taby', name: 'Roslags Näsby' });
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ code: 'AREA.UNKNOWN_MUNICIPALITY', field: 'municipalityId', value: 'taby' });
  });

  it('refuses a boundary that is not a polygon', async () => {
    const response = await t
      .http()
      .post('/areas')
      .send({ areaId: 'stocksund', municipalityId: 'danderyd', name: 'Stocksund', boundary: { type: 'Polygon', coordinates: [[[18, 59]]] } });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'AREA.INVALID_BOUNDARY', errors: [{ field: 'boundary' }] });
  });

  it('registers a place inside its area, in the area’s municipality', async () => {
    const response = await t
      .http()
      .post('/places')
      .send({ placeId: 'morby-centrum', areaId: 'centrala-danderyd', name: 'Mörby centrum', location: { lat: 59.3983, lon: 18.0357 } });
    expect(response.status).toBe(201);
    const [event] = await t.store.readStream('place-morby-centrum');
    expect(event.data).toMatchObject({ municipalityId: 'danderyd', radiusMeters: 150 });
  });

  it('refuses a place outside its area’s boundary, and one in an unknown area', async () => {
    const outside = await t
      .http()
      .post('/places')
      .send({ placeId: 'taby-centrum', areaId: 'centrala-danderyd', name: 'Täby centrum', location: { lat: 59.4439, lon: 18.0687 } });
    expect(outside.status).toBe(409);
    expect(outside.body.code).toBe('PLACE.OUTSIDE_AREA');
    const unknown = await t
      .http()
      .post('/places')
      .send({ placeId: 'enebyberg-torg', areaId: 'enebyberg', name: 'Enebybergs torg', location: { lat: 59.42, lon: 18.05 } });
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({ code: 'PLACE.UNKNOWN_AREA', field: 'areaId', value: 'enebyberg' });
  });
});
