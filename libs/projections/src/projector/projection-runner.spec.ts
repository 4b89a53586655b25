import { describe, expect, it } from '@jest/globals';
import { InMemoryEventStore } from '@app/event-store';
import { InMemoryReadStore } from '@app/read-store';
import type { PositionedDocument, Projection } from '../projection.js';
import { type AnyProjection, DEFAULT_RUNNER_OPTIONS, ProjectionRunner } from './projection-runner.js';

interface Tally extends PositionedDocument {
  count: number;
}

/** Counts `Counted` events in one document. */
const counting: Projection<Tally> = {
  name: 'counting',
  version: 1,
  eventTypes: ['Counted'],
  keys: () => ['tally'],
  evolve(documents) {
    const tally = documents.get('tally');
    return new Map([['tally', { count: (tally?.count ?? 0) + 1, lastPosition: '0' }]]);
  },
};

const metadata = { actor: { id: 't', role: 't', organisation: 't' }, command: 'Test', correlationId: 'c', causationId: 'c' };

describe('ProjectionRunner', () => {
  it('does not apply again what a stored document has seen beyond the checkpoint, and applies what follows', async () => {
    const events = new InMemoryEventStore();
    const reads = new InMemoryReadStore();
    const positions: bigint[] = [];
    for (let i = 0; i < 5; i++) {
      const { position } = await events.append(`counted-${i}`, [{ id: `00000000-0000-4000-8000-00000000000${i}`, type: 'Counted', data: {}, metadata }], 'no_stream');
      positions.push(position);
    }
    // Checkpoint after the first event; the document has seen the third (as if a run wrote it without moving the checkpoint).
    const collection = (await reads.startBuild('counting', 1, { fields: {}, indexes: [] })).live!.collection;
    await reads.commit(collection, new Map([['tally', { count: 3, lastPosition: positions[2].toString() }]]), { expected: undefined, next: positions[0] });

    const runner = new ProjectionRunner(counting as unknown as AnyProjection, collection, events, reads, { ...DEFAULT_RUNNER_OPTIONS, headPollMs: 2, idleProbeMs: 20 });
    runner.start();
    const deadline = Date.now() + 10_000;
    while (runner.checkpoint !== positions[4] && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    await runner.stop();

    expect((await reads.load(collection, ['tally'])).get('tally')).toEqual({ count: 5, lastPosition: positions[4].toString() });
  });
});
