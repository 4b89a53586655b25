import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import {
  accepted,
  aGoal,
  aMeasure,
  anAgreedAction,
  anIncident,
  aPatrolVisit,
  aPlan,
  aReinforcement,
  aSurvey,
  CENTRALA_DANDERYD_BOUNDARY,
  SIGNATORIES,
  seedDanderyd,
  somePoliceStatistics,
} from './support/fixtures.js';
import { logSnapshot, startTestApp, type TestApp } from './support/test-app.js';

/**
 * Every command endpoint, thrown generated malformed bodies: random JSON values, objects of wrong-typed
 * and missing fields, and valid bodies with one field broken (wrong type, null, left out, huge string,
 * unknown enum value, nested junk, an unknown field). Whatever comes, the answer is a 4xx
 * application/problem+json with a `code`, and the log is as it was.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = Array<string | number>;

interface Endpoint {
  path: () => string;
  /** A body the endpoint accepts (checked at the end), from which the broken ones are made. */
  valid: () => object;
  /** Paths that must be there (dotted, with indices): leaving one out is malformed. */
  required: string[];
  /** Paths of free text (`*` for any index): any string up to its limit is fine there, so only a huge one is broken. */
  freeText: string[];
  /**
   * The older endpoints (registry, incidents) take null for an optional field as "left out"; the
   * newer ones refuse it. Null is generated only where it is malformed.
   */
  nullIsLeftOut?: boolean;
  /** Bodies a generator may hit that are in fact well-formed (for adoption, whose fields are all optional: {}). */
  wellFormed?: (body: unknown) => boolean;
}

const RUNS_PER_ENDPOINT = 40;
/** Generated strings carry this mark, so none is a slug, a date, an id or an enum value by chance. */
const MARK = '✗';

const json = (depth = 2): fc.Arbitrary<Json> => fc.jsonValue({ maxDepth: depth }) as fc.Arbitrary<Json>;
const markedString = fc.string({ maxLength: 20 }).map((s) => `${MARK} ${s}`);
const markedKey = fc.string({ maxLength: 12 }).map((s) => `${MARK}${s}`);
const hugeString = fc
  .tuple(fc.integer({ min: 2_001, max: 200_000 }), fc.constantFrom('x', 'å', ' ', '9', '-'))
  .map(([length, char]) => char.repeat(length));
/** Containers at least two deep and never empty: not a value any field takes. */
const nestedJunk: fc.Arbitrary<Json> = fc.oneof(
  fc.array(fc.oneof(fc.array(json(3), { minLength: 1 }), fc.dictionary(markedKey, json(3), { minKeys: 1 })), { minLength: 1, maxLength: 4 }),
  fc.dictionary(markedKey, fc.oneof(json(4), fc.array(json(3), { minLength: 1 })), { minKeys: 1, maxKeys: 4 }),
);

function typeOf(value: unknown): 'string' | 'number' | 'boolean' | 'array' | 'object' | 'null' {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as 'string' | 'number' | 'boolean' | 'object';
}

/** A value of another JSON type than `value`'s (null only when `withNull`). */
function wrongType(value: unknown, withNull: boolean): fc.Arbitrary<Json> {
  const byType: Record<string, fc.Arbitrary<Json>> = {
    string: markedString,
    number: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })),
    boolean: fc.boolean(),
    array: fc.array(json(), { maxLength: 3 }),
    object: fc.dictionary(markedKey, json(), { maxKeys: 3 }),
  };
  const own = typeOf(value);
  const others = Object.entries(byType)
    .filter(([type]) => type !== own)
    .map(([, arbitrary]) => arbitrary);
  return withNull ? fc.oneof(...others, fc.constant(null)) : fc.oneof(...others);
}

/** Every path in a body, containers and leaves, outermost first. */
function pathsOf(value: Json, prefix: Path = []): Path[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => [[...prefix, i], ...pathsOf(item, [...prefix, i])]);
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => [[...prefix, key], ...pathsOf(item, [...prefix, key])]);
  return [];
}

const dotted = (path: Path) => path.map(String).join('.');
const pattern = (path: Path) => path.map((p) => (typeof p === 'number' ? '*' : p)).join('.');

function at(body: Json, path: Path): Json {
  return path.reduce<Json>((node, key) => (node as Record<string, Json>)[key as string], body);
}

/** A copy of `body` with the value at `path` replaced, or removed (`undefined`), or an extra key added there. */
function changed(body: Record<string, Json>, path: Path, change: { set: Json } | { remove: true } | { addKey: string; value: Json }): Record<string, Json> {
  const copy = structuredClone(body);
  if ('addKey' in change) {
    const target = at(copy, path) as Record<string, Json>;
    target[change.addKey] = change.value;
    return copy;
  }
  const parent = at(copy, path.slice(0, -1)) as Record<string, Json>;
  const key = path[path.length - 1] as string;
  if ('remove' in change) delete parent[key];
  else parent[key] = change.set;
  return copy;
}

/** A valid body with exactly one thing broken. */
function oneFieldBroken(endpoint: Endpoint): fc.Arbitrary<unknown> {
  const base = endpoint.valid() as Record<string, Json>;
  const paths = pathsOf(base);
  const objectPaths: Path[] = [[], ...paths.filter((p) => typeOf(at(base, p)) === 'object')];
  const required = new Set(endpoint.required);
  const freeText = new Set(endpoint.freeText);

  const replaced = fc.constantFrom(...paths).chain((path) => {
    const current = at(base, path);
    const nullIsMalformed = !endpoint.nullIsLeftOut || required.has(dotted(path));
    const broken: fc.Arbitrary<Json>[] = [wrongType(current, nullIsMalformed), nestedJunk];
    if (typeof current === 'string') {
      broken.push(hugeString);
      if (!freeText.has(pattern(path))) broken.push(markedString);
    }
    return fc.oneof(...broken).map((value) => changed(base, path, { set: value }));
  });
  const leftOut = endpoint.required.length === 0 ? [] : [fc.constantFrom(...endpoint.required).map((path) => changed(base, path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)), { remove: true }))];
  const unknownField = fc
    .tuple(fc.constantFrom(...objectPaths), fc.oneof(markedKey, fc.constantFrom('constructor', 'prototype', 'toString', 'hasOwnProperty', 'id', 'status')), json())
    .filter(([path, key]) => !Object.hasOwn(at(base, path) as object, key))
    .map(([path, key, value]) => changed(base, path, { addKey: key, value }));
  return fc.oneof(replaced, ...leftOut, unknownField);
}

/** An object of the endpoint's own top-level fields, each wrong-typed or left out. */
function wrongTypedFields(endpoint: Endpoint): fc.Arbitrary<unknown> {
  const base = endpoint.valid() as Record<string, Json>;
  const model = Object.fromEntries(Object.entries(base).map(([key, value]) => [key, wrongType(value, !endpoint.nullIsLeftOut || endpoint.required.includes(key))]));
  return fc.record(model, { requiredKeys: [] });
}

function malformedBodies(endpoint: Endpoint): fc.Arbitrary<unknown> {
  const bodies = fc.oneof(
    { arbitrary: json(4), weight: 2 },
    { arbitrary: fc.dictionary(fc.string({ maxLength: 12 }), json(3), { maxKeys: 6 }), weight: 1 },
    { arbitrary: nestedJunk, weight: 1 },
    { arbitrary: hugeString, weight: 1 },
    { arbitrary: wrongTypedFields(endpoint), weight: 2 },
    { arbitrary: oneFieldBroken(endpoint), weight: 6 },
  );
  return endpoint.wellFormed ? bodies.filter((body) => !endpoint.wellFormed!(body)) : bodies;
}

describe('malformed bodies at every command endpoint (property)', () => {
  let t: TestApp;
  /** The things the endpoints act on. */
  const w = {
    incidentId: '',
    planId: '',
    goalId: '',
    measureId: '',
    adoptablePlanId: '',
    reinforcementId: '',
  };
  beforeAll(async () => {
    t = await startTestApp();
    await seedDanderyd(t);
    w.incidentId = (await accepted(t, '/incidents', anIncident())).id;
    w.planId = (await accepted(t, '/action-plans', aPlan())).id;
    w.goalId = (await accepted(t, `/action-plans/${w.planId}/goals`, aGoal())).id;
    w.measureId = (await accepted(t, `/action-plans/${w.planId}/measures`, aMeasure({ kind: 'guard-presence' }))).id;
    w.adoptablePlanId = (await accepted(t, '/action-plans', aPlan({ title: 'Antagbar plan' }))).id;
    await accepted(t, `/action-plans/${w.adoptablePlanId}/goals`, aGoal());
    for (const role of SIGNATORIES) await accepted(t, `/action-plans/${w.adoptablePlanId}/signatures`, { role, name: 'Eva Ek', signedAt: '2025-02-20T10:00:00+01:00' });
    w.reinforcementId = (await accepted(t, '/guard-reinforcements', aReinforcement())).id;
  });
  afterAll(async () => {
    await t.close();
  });

  const endpoints: Record<string, Endpoint> = {
    'POST /municipalities': {
      path: () => '/municipalities',
      valid: () => ({ municipalityId: 'fc-kommun', name: 'Fc kommun', policeArea: 'Södra Roslagen' }),
      required: ['municipalityId', 'name'],
      freeText: ['name', 'policeArea'],
      nullIsLeftOut: true,
    },
    'POST /areas': {
      path: () => '/areas',
      valid: () => ({ areaId: 'fc-omrade', municipalityId: 'danderyd', name: 'Fc område', boundary: structuredClone(CENTRALA_DANDERYD_BOUNDARY) }),
      required: ['areaId', 'municipalityId', 'name', 'boundary.type', 'boundary.coordinates'],
      freeText: ['name'],
      nullIsLeftOut: true,
    },
    'POST /places': {
      path: () => '/places',
      valid: () => ({ placeId: 'fc-plats', areaId: 'djursholm', name: 'Fc plats', location: { lat: 59.39, lon: 18.08 }, radiusMeters: 100, kind: 'Torg' }),
      required: ['placeId', 'areaId', 'name', 'location', 'location.lat', 'location.lon'],
      freeText: ['name', 'kind'],
      nullIsLeftOut: true,
    },
    'POST /incidents': {
      path: () => '/incidents',
      valid: () => anIncident({ reportedAt: '2024-05-11T08:00:00+02:00', reportedToPolice: true, description: 'Krossad ruta vid entrén' }),
      required: ['occurredAt', 'category', 'source', 'placeId'],
      freeText: ['description'],
      nullIsLeftOut: true,
    },
    'POST /incidents/{id}/classification': {
      path: () => `/incidents/${w.incidentId}/classification`,
      valid: () => ({ category: 'graffiti', reason: 'Klotter, inte skadegörelse' }),
      required: ['category'],
      freeText: ['reason'],
      nullIsLeftOut: true,
    },
    'POST /incidents/{id}/retraction': {
      path: () => `/incidents/${w.incidentId}/retraction`,
      valid: () => ({ reason: 'recorded-in-error', note: 'Fel registrerad' }),
      required: ['reason'],
      freeText: ['note'],
      nullIsLeftOut: true,
    },
    'POST /action-plans': {
      path: () => '/action-plans',
      valid: () => aPlan({ title: 'Fc plan' }),
      required: ['municipalityId', 'title', 'periodStart', 'periodEnd'],
      freeText: ['title'],
    },
    'POST /action-plans/{id}/goals': {
      path: () => `/action-plans/${w.planId}/goals`,
      valid: () => aGoal({ indicator: { kind: 'incident-count', categories: ['burglary-residential', 'robbery'], areaIds: ['djursholm'], placeIds: ['morby-centrum'] } }),
      required: ['title', 'indicator', 'indicator.kind', 'indicator.categories', 'baseline', 'baseline.value', 'baseline.from', 'baseline.to', 'target', 'target.value', 'target.by'],
      freeText: ['title'],
    },
    'POST /action-plans/{id}/measures': {
      path: () => `/action-plans/${w.planId}/measures`,
      valid: () => aMeasure({ goalIds: [w.goalId], responsible: { partner: 'Grannsamverkan Djursholm' } }),
      required: ['title', 'kind', 'responsible', 'responsible.partner'],
      freeText: ['title', 'responsible.partner'],
    },
    'POST /action-plans/{id}/signatures': {
      path: () => `/action-plans/${w.planId}/signatures`,
      valid: () => ({ role: 'board-chair', name: 'Eva Ek', signedAt: '2025-02-20T10:00:00+01:00' }),
      required: ['role', 'name'],
      freeText: ['name'],
    },
    'POST /action-plans/{id}/adoption': {
      path: () => `/action-plans/${w.adoptablePlanId}/adoption`,
      valid: () => ({ adoptedAt: '2025-02-25T09:00:00+01:00' }),
      required: [],
      freeText: [],
      wellFormed: (body) => typeOf(body) === 'object' && Object.keys(body as object).length === 0,
    },
    'POST /guard-reinforcements': {
      path: () => '/guard-reinforcements',
      valid: () => aReinforcement({ measureId: w.measureId }),
      required: ['placeIds', 'from', 'to', 'hoursPerWeek', 'provider'],
      freeText: ['provider', 'fundedBy'],
    },
    'POST /guard-reinforcements/{id}/end': {
      path: () => `/guard-reinforcements/${w.reinforcementId}/end`,
      valid: () => ({ endedOn: '2025-06-15', reason: 'Budgeten slut' }),
      required: ['endedOn'],
      freeText: ['reason'],
    },
    'POST /patrol-visits': {
      path: () => '/patrol-visits',
      valid: () => aPatrolVisit({ reinforcementId: w.reinforcementId, observations: 'Lugnt vid entrén' }),
      required: ['placeId', 'arrivedAt', 'departedAt'],
      freeText: ['observations'],
    },
    'POST /survey-results': {
      path: () => '/survey-results',
      valid: () => aSurvey({ surveyId: 'fc-survey', areaId: 'djursholm' }),
      required: ['surveyId', 'municipalityId', 'year', 'results', 'results.0.indicator', 'results.0.value', 'results.0.respondents'],
      freeText: ['results.*.indicator'],
    },
    'POST /police-statistics': {
      path: () => '/police-statistics',
      valid: () => somePoliceStatistics({ areaId: 'djursholm' }),
      required: ['municipalityId', 'periodStart', 'periodEnd', 'counts', 'counts.0.braCategory', 'counts.0.count'],
      freeText: ['counts.*.braCategory', 'source'],
    },
    'POST /situation-pictures/{municipality}/{periodStart}/publication': {
      path: () => '/situation-pictures/danderyd/2025-02-10/publication',
      valid: () => ({ agreedActions: [anAgreedAction(), anAgreedAction({ responsible: { partner: 'Föräldravandrarna' } })] }),
      required: ['agreedActions', 'agreedActions.0.title', 'agreedActions.0.responsible', 'agreedActions.0.dueDate', 'agreedActions.1.responsible.partner'],
      freeText: ['agreedActions.*.title', 'agreedActions.*.responsible.partner'],
    },
  };

  it.each(Object.keys(endpoints))('%s: never a 5xx, always a problem with a code, the log unchanged', async (name) => {
    const endpoint = endpoints[name];
    await fc.assert(
      fc.asyncProperty(malformedBodies(endpoint), async (body) => {
        const before = await logSnapshot(t.store);
        const response = await t.http().post(endpoint.path()).set('content-type', 'application/json').send(JSON.stringify(body));
        const after = await logSnapshot(t.store);
        const answer = { clientError: response.status >= 400 && response.status < 500, contentType: response.headers['content-type'], code: response.body?.code, logUnchanged: after.join() === before.join() };
        // The body and the answer in the message, so a counterexample reads at once.
        const context = `${JSON.stringify(body).slice(0, 400)} → ${response.status} ${JSON.stringify(response.body).slice(0, 400)}`;
        expect({ context, ...answer }).toEqual({
          context,
          clientError: true,
          contentType: expect.stringMatching(/^application\/problem\+json/),
          code: expect.stringMatching(/^[A-Z_]+(\.[A-Z_]+)+$/),
          logUnchanged: true,
        });
      }),
      { numRuns: RUNS_PER_ENDPOINT },
    );
    // Fields named like Object.prototype members, which the validation pipe cannot see on its own.
    const base = endpoint.valid() as Record<string, Json>;
    for (const key of ['constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf']) {
      const nested = Object.keys(base).find((k) => typeOf(base[k]) === 'object');
      const bodies = [{ ...base, [key]: 'x' }, ...(nested ? [{ ...base, [nested]: { ...(base[nested] as object), [key]: 1 } }] : [])];
      for (const body of bodies) {
        const response = await t.http().post(endpoint.path()).set('content-type', 'application/json').send(JSON.stringify(body));
        expect({ status: response.status, errors: response.body.errors }).toEqual({
          status: 400,
          errors: expect.arrayContaining([{ field: body === bodies[0] ? key : `${nested}.${key}`, message: 'is not a field of this request' }]),
        });
      }
    }
    // The body the broken ones were made from is accepted: each was malformed by what was broken in it.
    const valid = await t.http().post(endpoint.path()).set('idempotency-key', randomUUID()).send(endpoint.valid());
    expect({ status: valid.status, body: valid.body }).toEqual({ status: 201, body: expect.objectContaining({ revision: expect.any(String) }) });
  });
});
