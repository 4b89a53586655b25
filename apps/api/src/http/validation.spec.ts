import { describe, expect, it } from '@jest/globals';
import { AddGoalDto } from '../action-plans/action-plan.dto.js';
import { RecordIncidentDto } from '../incidents/incident.dto.js';
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
});
