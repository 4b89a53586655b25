import { describe, expect, it } from '@jest/globals';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { ReclassifyIncidentDto, RecordIncidentDto } from '../incidents/incident.dto.js';
import { IncidentController } from '../incidents/incident.controller.js';
import { PublishSituationPictureDto, SituationPicturePathDto } from '../situation-pictures/situation-picture.dto.js';
import { SituationPictureController } from '../situation-pictures/situation-picture.controller.js';
import { CommandInputGuard, commandInputsOf } from './command-input.guard.js';
import { RequestValidationError } from './problem-details.js';

const ID = '7f9c2a52-3c1e-4d5b-9a40-1b2c3d4e5f60';

/** The guard's context for a request to a handler of IncidentController. */
function contextOf(handler: keyof IncidentController, request: { params?: object; headers?: object; body?: unknown }) {
  return new ExecutionContextHost([{ params: {}, headers: {}, url: '/', method: 'POST', ...request }, {}], IncidentController, IncidentController.prototype[handler]);
}

async function problemsOf(answer: boolean | Promise<boolean>) {
  try {
    await answer;
  } catch (error) {
    if (error instanceof RequestValidationError) return error.errors;
    throw error;
  }
  throw new Error('the request was let through');
}

describe('commandInputsOf', () => {
  it('reads the UUID path parameter and the body DTO of a command', () => {
    expect(commandInputsOf(IncidentController, 'reclassify')).toEqual({ uuidParams: ['id'], bodyDto: ReclassifyIncidentDto });
    expect(commandInputsOf(IncidentController, 'record')).toEqual({ uuidParams: [], bodyDto: RecordIncidentDto });
  });

  it('reads a whole-path DTO', () => {
    expect(commandInputsOf(SituationPictureController, 'publish')).toEqual({ uuidParams: [], pathDto: SituationPicturePathDto, bodyDto: PublishSituationPictureDto });
  });

  it('answers null for a route without an envelope: a query', () => {
    expect(commandInputsOf(IncidentController, 'get')).toBeNull();
  });
});

describe('CommandInputGuard', () => {
  const guard = new CommandInputGuard();

  it('lets a good path and good headers through at once, leaving the body to the pipes', () => {
    const answer = guard.canActivate(contextOf('reclassify', { params: { id: ID }, headers: { 'if-match': '"0"', 'idempotency-key': 'k-1' }, body: { category: 'nope' } }));
    expect(answer).toBe(true);
  });

  it('names the path, then the headers, then the body', async () => {
    const problems = await problemsOf(
      guard.canActivate(contextOf('reclassify', { params: { id: 'x' }, headers: { 'if-match': 'W/"0"', 'idempotency-key': '' }, body: { category: 'nope', colour: 'red' } })),
    );
    const fields = problems.map((p) => p.field);
    expect(fields.slice(0, 3)).toEqual(['id', 'If-Match', 'Idempotency-Key']);
    // The body's in the pipe's own order.
    expect(fields.slice(3).sort()).toEqual(['category', 'colour']);
  });

  it('names a bad header alone when the body is good', async () => {
    const problems = await problemsOf(guard.canActivate(contextOf('record', { headers: { 'if-match': '3' }, body: { occurredAt: '2024-05-10T22:15:00Z', category: 'vandalism', source: 'police', placeId: 'p' } })));
    expect(problems).toEqual([{ field: 'If-Match', message: 'must be a stream revision in quotes, such as "0"' }]);
  });

  it('leaves the headers of a query alone', () => {
    expect(guard.canActivate(contextOf('get', { params: { id: 'x' }, headers: { 'if-match': 'W/"0"' } }))).toBe(true);
  });
});
