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

  it('lower-cases a UUID, as UUIDs are the same in either case', () => {
    const params = new QueryParams({ actionPlanId: 'AAAAAAAA-0000-4000-8000-00000000000B' }, ['actionPlanId']);
    expect(params.uuid('actionPlanId')).toBe('aaaaaaaa-0000-4000-8000-00000000000b');
    expect(problemsOf(params)).toEqual([]);
  });
});
