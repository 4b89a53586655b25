import { describe, expect, it } from '@jest/globals';
import type { AllStreamResolvedEvent, AllStreamSubscription } from '@eventstore/db-client';
import { Readable } from 'node:stream';
import { EsdbAllSubscription, EventStoreDbEventStore } from './esdb.adapter.js';
import { eventStoreContract } from './event-store.contract.js';
import type { RecordedEvent } from './event-store.port.js';

const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;

if (connectionString) {
  eventStoreContract('eventstoredb', async () => new EventStoreDbEventStore(connectionString));
} else {
  console.warn(
    'EventStoreDB contract suite SKIPPED: EVENTSTORE_CONNECTION_STRING is not set. ' +
      'Start the cluster in docker/ and set EVENTSTORE_CONNECTION_STRING=esdb://localhost:2113?tls=false to run it.',
  );
  describe.skip('EventStore contract: eventstoredb (SKIPPED: EVENTSTORE_CONNECTION_STRING is not set)', () => {
    it('runs the shared event-store contract against a live EventStoreDB', () => {});
  });
}

/** The re-subscription logic, against scripted stand-ins for the client's subscription stream (no server). */
describe('EsdbAllSubscription without a server', () => {
  const metadata = { actor: { id: 't', role: 't', organisation: 't' }, command: 'T', correlationId: 'c', causationId: 'c' };
  const record = (position: bigint, stream = 'thing-1', type = 'Happened'): AllStreamResolvedEvent => ({
    event: {
      streamId: stream,
      id: `00000000-0000-4000-8000-${position.toString().padStart(12, '0')}`,
      isJson: true,
      revision: position,
      type,
      created: new Date(0),
      data: { position: Number(position) },
      metadata,
      position: { commit: position, prepare: position },
    },
    commitPosition: position,
  });

  /** A stand-in subscription: yields `events`, then fails with `error`, or stays open for live events. */
  const source = (events: AllStreamResolvedEvent[], error?: Error) => {
    let unsubscribed = false;
    const readable = new Readable({ objectMode: true, read() {} });
    for (const event of events) readable.push(event);
    if (error) setTimeout(() => readable.destroy(error), 5);
    return Object.assign(readable, {
      unsubscribe: async () => {
        unsubscribed = true;
      },
      isUnsubscribed: () => unsubscribed,
    });
  };

  const take = async (subscription: EsdbAllSubscription, count: number): Promise<RecordedEvent[]> => {
    const taken: RecordedEvent[] = [];
    for await (const event of subscription) {
      taken.push(event);
      if (taken.length === count) break;
    }
    return taken;
  };

  it('re-subscribes after the last delivered position when the subscription drops, without repeats', async () => {
    const opened: Array<bigint | undefined> = [];
    const scripts = [
      source([record(10n), record(20n)], new Error('connection reset')),
      // The new subscription starts at the last delivered event again (reads from a position include it).
      source([record(20n), record(30n)]),
    ];
    const subscription = new EsdbAllSubscription(
      (after) => {
        opened.push(after);
        return scripts.shift() as unknown as AllStreamSubscription;
      },
      { initialDelayMs: 1, maxDelayMs: 4 },
    );
    const events = await take(subscription, 3);
    expect(events.map((e) => e.position)).toEqual([10n, 20n, 30n]);
    expect(opened).toEqual([undefined, 20n]);
    expect(subscription.lastPosition).toBe(30n);
  });

  it('skips system events, events at or before `after`, and what the filter excludes', async () => {
    const subscription = new EsdbAllSubscription(
      () =>
        source([
          record(5n, 'order-1'),
          record(10n, 'order-1'),
          record(11n, '$stats-node', '$statsCollected'),
          record(12n, 'order-2', '$metadata'),
          record(13n, 'invoice-1'),
          record(14n, 'order-2'),
        ]) as unknown as AllStreamSubscription,
      { after: 5n, filter: { streamCategories: ['order'] }, initialDelayMs: 1, maxDelayMs: 4 },
    );
    const events = await take(subscription, 2);
    expect(events.map((e) => [e.stream, e.position])).toEqual([
      ['order-1', 10n],
      ['order-2', 14n],
    ]);
  });

  it('backs off exponentially up to the maximum while re-subscribing keeps failing', async () => {
    const delays: number[] = [];
    let attempts = 0;
    const subscription = new EsdbAllSubscription(
      () => {
        attempts++;
        return (attempts <= 5 ? source([], new Error('unavailable')) : source([record(1n)])) as unknown as AllStreamSubscription;
      },
      { initialDelayMs: 1, maxDelayMs: 4, onDropped: (_error, retryInMs) => delays.push(retryInMs) },
    );
    const events = await take(subscription, 1);
    expect(events).toHaveLength(1);
    expect(delays).toEqual([1, 2, 4, 4, 4]);
  });

  it('ends iteration and cancels the server subscription when closed while waiting', async () => {
    const live = source([record(1n)]);
    const subscription = new EsdbAllSubscription(() => live as unknown as AllStreamSubscription, { initialDelayMs: 1, maxDelayMs: 4 });
    const done = (async () => {
      let n = 0;
      for await (const _ of subscription) n++;
      return n;
    })();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await subscription.close();
    expect(await done).toBe(1);
    expect(live.isUnsubscribed()).toBe(true);
  });
});
