import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './support/test-app.js';

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => { await t.close(); });

it('boots', async () => {
  const bad = await t.http().post('/municipalities').set('content-type', 'application/json').send('{"x":');
  console.log(bad.status, bad.body.code);
  const big = await t.http().post('/municipalities').set('content-type', 'application/json').send(JSON.stringify({ name: 'x'.repeat(2_000_000) }));
  console.log(big.status, big.body.code);
  const text = await t.http().post('/municipalities').set('content-type', 'text/plain').send('hello');
  console.log(text.status, text.body.code, text.body.detail);
  const none = await t.http().post('/municipalities');
  console.log(none.status, none.body.code, none.body.detail);
  const arr = await t.http().post('/municipalities').send([1,2]);
  console.log(arr.status, arr.body.code, arr.body.detail);
  const nul = await t.http().post('/municipalities').set('content-type', 'application/json').send('null');
  console.log(nul.status, nul.body.code, nul.body.detail);
  const inv = await t.http().post('/places').send({ placeId: 'X', location: { lat: 'a' } , foo: 1});
  console.log(inv.status, JSON.stringify(inv.body.errors));
  expect(1).toBe(1);
});
