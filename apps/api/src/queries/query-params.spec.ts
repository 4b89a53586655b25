import { describe, expect, it } from '@jest/globals';
import { RequestValidationError } from '../http/problem-details.js';
import { QueryParams } from './query-params.js';

const LARGEST = '9223372036854775807';
const ONE_MORE = '9223372036854775808';

/** The problems `done()` reports, or [] when it reports none. */
function problemsOf(params: QueryParams) {
  try {
    params.done();
    return [];
  } catch (error) {
    if (error instanceof RequestValidationError) return error.errors;
    throw error;
  }
}

describe('QueryParams', () => {
  it('takes positions and revisions up to 2^63 − 1, what the stores hold, and names the parameter above it', () => {
    const fine = new QueryParams({ consistentWith: LARGEST, fromRevision: LARGEST }, ['consistentWith', 'fromRevision']);
    expect(fine.position('consistentWith')).toBe(2n ** 63n - 1n);
    expect(fine.revision('fromRevision')).toBe(2n ** 63n - 1n);
    expect(problemsOf(fine)).toEqual([]);

    const above = new QueryParams({ consistentWith: ONE_MORE, fromRevision: '99999999999999999999' }, ['consistentWith', 'fromRevision']);
    expect(above.position('consistentWith')).toBeUndefined();
    expect(above.revision('fromRevision')).toBeUndefined();
    expect(problemsOf(above).map((p) => p.field)).toEqual(['consistentWith', 'fromRevision']);
  });

  it('reports the path’s problems with the query string’s, in one 400', () => {
    const params = new QueryParams({ consistentWith: 'x', colour: 'red' }, ['consistentWith']);
    params.position('consistentWith');
    params.pathSlug('municipality', 'BAD', 'danderyd');
    params.pathUuid('id', 'plan-1');
    params.check(false, 'periodStart', 'must be a date YYYY-MM-DD');
    expect(problemsOf(params).map((p) => p.field)).toEqual(['colour', 'consistentWith', 'municipality', 'id', 'periodStart']);
  });

  it('takes a path date as the query string’s dates: a calendar date in the supported years', () => {
    const params = new QueryParams({}, []);
    expect(params.pathDate('periodStart', '2021-01-04')).toBe('2021-01-04');
    expect(params.pathDate('periodStart', '2021-02-30')).toBeUndefined();
    expect(params.pathDate('periodEnd', '9999-12-27')).toBeUndefined();
    expect(problemsOf(params)).toEqual([
      { field: 'periodStart', message: 'must be a date YYYY-MM-DD in the years 1900 to 9998' },
      { field: 'periodEnd', message: 'must be a date YYYY-MM-DD in the years 1900 to 9998' },
    ]);
  });

  it('caps a path slug at 64 characters, as a body slug is', () => {
    const params = new QueryParams({}, []);
    expect(params.pathSlug('municipality', 'a'.repeat(64), 'danderyd')).toBe('a'.repeat(64));
    expect(problemsOf(params)).toEqual([]);
    expect(params.pathSlug('municipality', 'a'.repeat(65), 'danderyd')).toBeUndefined();
    expect(problemsOf(params)).toEqual([{ field: 'municipality', message: expect.stringContaining('64') }]);
  });

  it('lower-cases a UUID of the path or the query string, as UUIDs are the same in either case', () => {
    const params = new QueryParams({ actionPlanId: 'AAAAAAAA-0000-4000-8000-00000000000B' }, ['actionPlanId']);
    expect(params.uuid('actionPlanId')).toBe('aaaaaaaa-0000-4000-8000-00000000000b');
    expect(params.pathUuid('id', 'BBBBBBBB-0000-4000-8000-00000000000A')).toBe('bbbbbbbb-0000-4000-8000-00000000000a');
    expect(problemsOf(params)).toEqual([]);
  });
});
