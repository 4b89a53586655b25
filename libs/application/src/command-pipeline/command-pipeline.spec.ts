import { describe, expect, it } from '@jest/globals';
import { incident, type IncidentRecorded, recordIncident } from '@app/domain';
import { InMemoryEventStore } from '@app/event-store';
import type { CommandEnvelope, CommandResult } from './command-envelope.js';
import { CommandPipeline } from './command-pipeline.js';
import { IdempotencyKeyReusedError } from './command-errors.js';
import { IdempotencyRecords } from './idempotency-records.js';

/** Records that fail once after the append: the process died between the append and the answer. */
class CrashingOnceRecords extends IdempotencyRecords {
  crashes = 1;
  override async record(key: string, requestHash: string, result: CommandResult): Promise<void> {
    if (this.crashes-- > 0) throw new Error('crash between append and answer');
    return super.record(key, requestHash, result);
  }
}

const place = {
  status: 'registered' as const,
  placeId: 'morby-centrum',
  areaId: 'centrala-danderyd',
  municipalityId: 'danderyd',
  name: 'Mörby centrum',
  location: { lat: 59.398, lon: 18.036 },
  radiusMeters: 150,
  kind: null,
};

function envelope(requestHash: string, now: Date): CommandEnvelope {
  return {
    commandId: `cmd-${now.getTime()}`,
    now,
    actor: { id: 'a', role: 'r', organisation: 'o' },
    correlationId: 'c',
    idempotency: { key: 'key-1', requestHash },
  };
}

const command = (requestHash: string, now: Date, category: IncidentRecorded['data']['category'] = 'vandalism') => ({
  name: 'RecordIncident',
  stream: 'incident-1',
  id: '1',
  decider: incident,
  decide: (state: ReturnType<typeof incident.initialState>) =>
    recordIncident({ incidentId: '1', occurredAt: new Date('2024-01-01T00:00:00Z'), category, source: 'police' as const, placeId: 'morby-centrum', place, now }, state),
  envelope: envelope(requestHash, now),
});

describe('CommandPipeline with an Idempotency-Key across a crash', () => {
  it('answers the retry with the first result and appends nothing more', async () => {
    const store = new InMemoryEventStore();
    const pipeline = new CommandPipeline(store, new CrashingOnceRecords(store));
    await expect(pipeline.run(command('hash-a', new Date('2024-01-02T00:00:00Z')))).rejects.toThrow('crash between append and answer');
    expect(await store.readStream('incident-1')).toHaveLength(1);

    // The retry comes later, so it decides with another `now`: the events are recognised all the same.
    const retried = await pipeline.run(command('hash-a', new Date('2024-01-02T00:05:00Z')));
    expect(retried).toEqual({ id: '1', stream: 'incident-1', revision: 0n, position: 1n });
    expect(await store.readStream('incident-1')).toHaveLength(1);
    // The record now exists too: a third try is answered from it.
    expect(await pipeline.run(command('hash-a', new Date('2024-01-03T00:00:00Z')))).toEqual(retried);
  });

  it('refuses the key with another request after the crash', async () => {
    const store = new InMemoryEventStore();
    const pipeline = new CommandPipeline(store, new CrashingOnceRecords(store));
    await expect(pipeline.run(command('hash-a', new Date('2024-01-02T00:00:00Z')))).rejects.toThrow();
    await expect(pipeline.run(command('hash-b', new Date('2024-01-02T00:05:00Z'), 'graffiti'))).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    expect(await store.readStream('incident-1')).toHaveLength(1);
  });
});
