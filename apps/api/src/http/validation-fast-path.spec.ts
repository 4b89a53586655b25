import { describe, expect, it } from '@jest/globals';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidatorOptions } from 'class-validator';
import fc from 'fast-check';
import { AddGoalDto, AddMeasureDto } from '../action-plans/action-plan.dto.js';
import { RecordIncidentDto } from '../incidents/incident.dto.js';
import { ImportPoliceStatisticsDto } from '../police-statistics/police-statistics.dto.js';
import { DefineAreaDto, RegisterPlaceDto } from '../registry/registry.dto.js';
import { passesEveryRule } from './validation-fast-path.js';

/** The options the ValidationPipe hands class-validator (it adds forbidUnknownValues: false). */
const PIPE_OPTIONS: ValidatorOptions = {
  forbidUnknownValues: false,
  whitelist: true,
  forbidNonWhitelisted: true,
  stopAtFirstError: true,
  validationError: { target: false, value: false },
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const CASES: Array<{ dto: new () => object; valid: Record<string, Json> }> = [
  {
    dto: RecordIncidentDto,
    valid: { occurredAt: '2024-05-10T22:15:00+02:00', category: 'vandalism', source: 'security-guards', placeId: 'morby-centrum', description: 'Krossad glasruta.' },
  },
  {
    dto: RecordIncidentDto,
    valid: { incidentId: '0190a0a0-0000-7000-8000-000000000000', occurredAt: '2024-05-10T22:15:00Z', category: 'vandalism', source: 'police', location: { lat: 59.4, lon: 18.03 }, reportedToPolice: true },
  },
  {
    // An upper-case UUID: lower-cased by the DTO's transform before the rules run, and still fast.
    dto: RecordIncidentDto,
    valid: { incidentId: '0190A0A0-0000-7000-8000-00000000000F', occurredAt: '2024-05-10T22:15:00Z', category: 'vandalism', source: 'police', placeId: 'morby-centrum' },
  },
  {
    dto: AddMeasureDto,
    valid: { measureId: 'AAAAAAAA-0000-4000-8000-00000000000F', title: 'Grannsamverkan', kind: 'neighbourhood-watch', responsible: 'joint', goalIds: ['BBBBBBBB-0000-4000-8000-00000000000F'] },
  },
  {
    dto: DefineAreaDto,
    valid: { areaId: 'djursholm', municipalityId: 'danderyd', name: 'Djursholm', boundary: { type: 'Polygon', coordinates: [[[18.0, 59.3], [18.1, 59.3], [18.1, 59.4], [18.0, 59.3]]] } },
  },
  { dto: RegisterPlaceDto, valid: { placeId: 'morby-centrum', areaId: 'centrala-danderyd', name: 'Mörby centrum', location: { lat: 59.3983, lon: 18.0357 } } },
  {
    dto: AddGoalDto,
    valid: {
      title: 'Färre bostadsinbrott',
      indicator: { kind: 'incident-count', categories: ['burglary-residential'], areaIds: ['djursholm'] },
      baseline: { value: 120, from: '2023-01-01', to: '2024-12-31' },
      target: { value: 90, by: '2026-12-31' },
    },
  },
  {
    dto: ImportPoliceStatisticsDto,
    valid: { municipalityId: 'danderyd', periodStart: '2025-01-01', periodEnd: '2025-03-31', counts: [{ braCategory: 'Bostadsinbrott', count: 14 }] },
  },
];

/** A deep copy made in this realm (structuredClone's objects fail class-transformer's instanceof checks under Jest). */
const jsonCopy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function pathsOf(value: Json, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(value)) return value.flatMap((item, i) => [[...prefix, i], ...pathsOf(item, [...prefix, i])]);
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => [[...prefix, key], ...pathsOf(item, [...prefix, key])]);
  return [];
}

/** Values that are valid somewhere, so a mutation often lands on something almost right. */
const plausible: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>('morby-centrum', '2024-05-10T22:15:00+02:00', '2024-02-30T10:00:00Z', '2025-01-01', 'vandalism', 'police', 'Polygon', '', 'x'.repeat(2001)),
  fc.constantFrom<Json>(0, -1, 14, 59.4, 91, Number.MAX_SAFE_INTEGER, true, false, null, [], {}, ['djursholm'], { lat: 59, lon: 18 }, [{ braCategory: 'x', count: 1 }]),
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
);

function mutated(valid: Record<string, Json>): fc.Arbitrary<Record<string, Json>> {
  const paths = pathsOf(valid);
  return fc.tuple(fc.constantFrom(...paths, []), fc.oneof(plausible.map((value) => ({ set: value })), fc.constant({ remove: true as const }), fc.constantFrom('constructor', 'toString', 'extra', 'kind').map((key) => ({ add: key })))).map(([path, change]) => {
    const copy = jsonCopy(valid);
    const parent = path.slice(0, -1).reduce<Json>((node, key) => (node as Record<string, Json>)[key as string], copy) as Record<string, Json>;
    const key = path[path.length - 1] as string;
    if ('add' in change) {
      const target = path.length === 0 ? copy : (parent[key] as Record<string, Json>);
      if (target !== null && typeof target === 'object' && !Array.isArray(target)) target[change.add] = 'added';
    } else if (path.length > 0) {
      if ('remove' in change) delete parent[key];
      else parent[key] = change.set;
    }
    return copy;
  });
}

describe('validation fast path', () => {
  it.each(CASES.map((c, i) => [c.dto.name, i] as const))('says yes to a valid %s (case %#) without class-validator finding fault', (_name, i) => {
    const { dto, valid } = CASES[i];
    const instance = plainToInstance(dto, jsonCopy(valid));
    expect(validateSync(instance, PIPE_OPTIONS)).toEqual([]);
    expect(passesEveryRule(instance, PIPE_OPTIONS)).toBe(true);
  });

  it('never says yes where class-validator finds an error (generated near-valid bodies)', () => {
    const verdicts = { bothYes: 0, fastUnsure: 0 };
    for (const { dto, valid } of CASES) {
      for (const options of [PIPE_OPTIONS, { ...PIPE_OPTIONS, forbidUnknownValues: true }]) {
        fc.assert(
          fc.property(mutated(valid), (body) => {
            let instance: object;
            try {
              instance = plainToInstance(dto, body);
            } catch {
              return; // class-transformer's own failure (a discriminator on a non-object): no instance reaches validation
            }
            const fast = passesEveryRule(instance, options);
            const errors = validateSync(instance, options);
            if (fast) {
              expect(errors).toEqual([]);
              verdicts.bothYes++;
            } else verdicts.fastUnsure++;
          }),
          { numRuns: 150 },
        );
      }
    }
    // Both answers were exercised: the property above is not vacuous.
    expect(verdicts.bothYes).toBeGreaterThan(50);
    expect(verdicts.fastUnsure).toBeGreaterThan(500);
  });

  it('leaves options it does not mirror to class-validator', () => {
    const instance = plainToInstance(RecordIncidentDto, jsonCopy(CASES[0].valid));
    expect(passesEveryRule(instance, { ...PIPE_OPTIONS, forbidNonWhitelisted: false })).toBe(false);
    expect(passesEveryRule(instance, { ...PIPE_OPTIONS, groups: ['admin'] })).toBe(false);
    expect(passesEveryRule(instance, { ...PIPE_OPTIONS, skipMissingProperties: true })).toBe(false);
    expect(passesEveryRule(instance, undefined)).toBe(false);
  });

  it('refuses an object of a class without rules when forbidUnknownValues is on, and one with keys either way', () => {
    class NoRules {}
    expect(passesEveryRule(new NoRules(), { ...PIPE_OPTIONS, forbidUnknownValues: true })).toBe(false);
    expect(passesEveryRule(new NoRules(), PIPE_OPTIONS)).toBe(validateSync(new NoRules(), PIPE_OPTIONS).length === 0);
    expect(passesEveryRule(Object.assign(new NoRules(), { a: 1 }), PIPE_OPTIONS)).toBe(false);
  });
});
