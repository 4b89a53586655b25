import { expect } from '@jest/globals';
import { logSnapshot, type TestApp } from './test-app.js';

type Answer = { status: number; body: Record<string, unknown>; headers: Record<string, string> };

/**
 * `refused(send, status, code)`: the request is answered with that status and problem code, as
 * application/problem+json, and the log is unchanged. Takes the app lazily (it starts in beforeAll).
 */
export function refusalsOf(app: () => TestApp) {
  return async function refused(send: () => PromiseLike<Answer>, status: number, code: string): Promise<Record<string, unknown>> {
    const before = await logSnapshot(app().store);
    const response = await send();
    expect({ status: response.status, code: response.body.code }).toEqual({ status, code });
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await logSnapshot(app().store)).toEqual(before);
    return response.body;
  };
}

/** The fields a 400 problem names, sorted. */
export const fieldsOf = (problem: Record<string, unknown>) => (problem.errors as Array<{ field: string }>).map((e) => e.field).sort();
