import { describe, expect, it } from '@jest/globals';
import { AddGoalDto, AddMeasureDto } from '../action-plans/action-plan.dto.js';
import { RecordIncidentDto, RetractIncidentDto } from '../incidents/incident.dto.js';
import { ImportPoliceStatisticsDto } from '../police-statistics/police-statistics.dto.js';
import { RequestValidationError } from './problem-details.js';
import { validationPipe } from './validation.js';

const goal = (indicator: unknown) => ({
  title: 'Färre bostadsinbrott',
  indicator,
  baseline: { value: 120, from: '2023-01-01', to: '2024-12-31' },
  target: { value: 90, by: '2026-12-31' },
});

async function problemsOf(metatype: new () => object, body: unknown) {
  try {
    await validationPipe.transform(body, { type: 'body', metatype });
  } catch (error) {
    if (error instanceof RequestValidationError) return error.errors;
    throw error;
  }
  throw new Error('the body was accepted');
}

describe('validationPipe', () => {
  it('turns a valid body into its DTO', async () => {
    const body = { occurredAt: '2024-05-10T22:15:00+02:00', category: 'vandalism', source: 'police', placeId: 'morby-centrum' };
    const dto = await validationPipe.transform(body, { type: 'body', metatype: RecordIncidentDto });
    expect(dto).toBeInstanceOf(RecordIncidentDto);
    expect(dto).toMatchObject(body);
  });

  it('names every invalid field, unknown ones too', async () => {
    const problems = await problemsOf(RecordIncidentDto, { occurredAt: '2024-02-30T10:00Z', category: 'vandalism', source: 'rumour', colour: 'red' });
    expect(problems.map((p) => p.field).sort()).toEqual(['colour', 'occurredAt', 'source']);
  });

  it('names a field class-transformer cannot read, instead of failing with a 500', async () => {
    const problems = await problemsOf(AddGoalDto, goal([null]));
    expect(problems).toEqual([{ field: 'indicator', message: 'must be an object of the shape this field takes' }]);
  });

  it('names such a field together with an inherited name', async () => {
    const problems = await problemsOf(AddGoalDto, { ...goal([7]), toString: 'x' });
    expect(problems.map((p) => p.field).sort()).toEqual(['indicator', 'toString']);
  });

  it('still closes the gaps of a sparse array (a body JSON.parse cannot make, so the pipe handles it as before)', async () => {
    const counts = [];
    counts[1] = { braCategory: 'Bostadsinbrott', count: 14 };
    const body = { municipalityId: 'danderyd', periodStart: '2025-01-01', periodEnd: '2025-03-31', counts };
    const dto = (await validationPipe.transform(body, { type: 'body', metatype: ImportPoliceStatisticsDto })) as ImportPoliceStatisticsDto;
    expect(dto.counts).toHaveLength(1);
  });

  it('still names a constructor key deep inside a body', async () => {
    const body = { occurredAt: '2024-05-10T22:15:00+02:00', category: 'vandalism', source: 'police', location: JSON.parse('{"lat": 59, "lon": 18, "constructor": 1}') };
    const problems = await problemsOf(RecordIncidentDto, body);
    expect(problems).toEqual([{ field: 'location.constructor', message: 'is not a field of this request' }]);
  });

  it('lower-cases every UUID of a body, so that the same UUID in either case names the same stream', async () => {
    const upper = 'AAAAAAAA-0000-4000-8000-00000000000F';
    const lower = upper.toLowerCase();
    const incident = await validationPipe.transform(
      { incidentId: upper, occurredAt: '2024-05-10T22:15:00+02:00', category: 'vandalism', source: 'police', placeId: 'morby-centrum' },
      { type: 'body', metatype: RecordIncidentDto },
    );
    expect(incident).toMatchObject({ incidentId: lower });
    const retraction = await validationPipe.transform({ reason: 'duplicate', duplicateOf: upper }, { type: 'body', metatype: RetractIncidentDto });
    expect(retraction).toMatchObject({ duplicateOf: lower });
    const measure = await validationPipe.transform(
      { measureId: upper, title: 'Grannsamverkan', kind: 'neighbourhood-watch', responsible: 'joint', goalIds: [upper, 'BBBBBBBB-0000-4000-8000-000000000001'] },
      { type: 'body', metatype: AddMeasureDto },
    );
    expect(measure).toMatchObject({ measureId: lower, goalIds: [lower, 'bbbbbbbb-0000-4000-8000-000000000001'] });
  });

  it('still refuses what is not a UUID, in whatever case, naming the field', async () => {
    expect(await problemsOf(RecordIncidentDto, { incidentId: 'NOT-A-UUID', occurredAt: '2024-05-10T22:15:00+02:00', category: 'vandalism', source: 'police' })).toEqual([
      { field: 'incidentId', message: expect.stringMatching(/UUID/) },
    ]);
    const problems = await problemsOf(AddMeasureDto, { title: 'x', kind: 'neighbourhood-watch', responsible: 'joint', goalIds: ['AAAAAAAA-0000-4000-8000-00000000000F', 7] });
    expect(problems).toEqual([{ field: 'goalIds', message: expect.stringMatching(/UUIDs/) }]);
  });
});
