import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import {
  DuplicateEventIdError,
  type EventStore,
  type EventToAppend,
  type RecordedEvent,
  type Subscription,
  WrongExpectedRevisionError,
} from './event-store.port.js';

/**
 * The event-store contract: one suite, run against every adapter. Tests share one store and use
 * their own random stream category, so the suite also runs against a long-lived EventStoreDB.
 */
export function eventStoreContract(adapterName: string, open: () => Promise<EventStore>, close?: (store: EventStore) => Promise<void>): void {
  describe(`EventStore contract: ${adapterName}`, () => {
    let store: EventStore;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await (close ? close(store) : store.close());
    });

    const category = () => `c${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const streamOf = (cat = category()) => `${cat}-${randomUUID()}`;
    const event = (type = 'Something', data: unknown = { n: 1 }): EventToAppend => ({
      id: randomUUID(),
      type,
      data,
      metadata: { actor: { id: 'tester', role: 'test', organisation: 'test' }, command: 'Test', correlationId: 'c', causationId: 'c' },
    });
    const rejection = async (promise: Promise<unknown>) => {
      try {
        await promise;
      } catch (error) {
        return error;
      }
      throw new Error('expected the promise to reject');
    };

    describe('expected revision', () => {
      it('no_stream creates a stream at revision 0 and refuses an existing one', async () => {
        const stream = streamOf();
        const result = await store.append(stream, [event()], 'no_stream');
        expect(result.nextExpectedRevision).toBe(0n);
        expect(typeof result.position).toBe('bigint');
        const error = await rejection(store.append(stream, [event()], 'no_stream'));
        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect((error as WrongExpectedRevisionError).actual).toBe(0n);
        expect(await store.readStream(stream)).toHaveLength(1);
      });

      it('stream_exists refuses a new stream and accepts an existing one', async () => {
        const stream = streamOf();
        const error = await rejection(store.append(stream, [event()], 'stream_exists'));
        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect((error as WrongExpectedRevisionError).actual).toBe('no_stream');
        expect(await store.readStream(stream)).toEqual([]);
        await store.append(stream, [event()], 'no_stream');
        expect((await store.append(stream, [event()], 'stream_exists')).nextExpectedRevision).toBe(1n);
      });

      it('any accepts a new and an existing stream', async () => {
        const stream = streamOf();
        expect((await store.append(stream, [event()], 'any')).nextExpectedRevision).toBe(0n);
        expect((await store.append(stream, [event(), event()], 'any')).nextExpectedRevision).toBe(2n);
      });

      it('an exact revision must be the current one', async () => {
        const stream = streamOf();
        const error = await rejection(store.append(stream, [event()], 0n));
        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        await store.append(stream, [event(), event()], 'no_stream');
        const stale = await rejection(store.append(stream, [event()], 0n));
        expect(stale).toBeInstanceOf(WrongExpectedRevisionError);
        expect((stale as WrongExpectedRevisionError).actual).toBe(1n);
        expect((await store.append(stream, [event()], 1n)).nextExpectedRevision).toBe(2n);
        expect(await store.readStream(stream)).toHaveLength(3);
      });

      it('of concurrent writers at one revision exactly one wins', async () => {
        const stream = streamOf();
        await store.append(stream, [event()], 'no_stream');
        const results = await Promise.allSettled(Array.from({ length: 16 }, () => store.append(stream, [event()], 0n)));
        const won = results.filter((r) => r.status === 'fulfilled');
        expect(won).toHaveLength(1);
        for (const lost of results.filter((r) => r.status === 'rejected')) {
          expect((lost as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
        }
        const events = await store.readStream(stream);
        expect(events.map((e) => e.revision)).toEqual([0n, 1n]);
      });

      it('concurrent writers to different streams all succeed, one revision after another per stream', async () => {
        const streams = Array.from({ length: 8 }, () => streamOf());
        // Each stream's writes are chained; the streams run concurrently.
        await Promise.all(
          streams.map(async (stream) => {
            await store.append(stream, [event()], 'no_stream');
            await store.append(stream, [event()], 0n);
            await store.append(stream, [event()], 1n);
          }),
        );
        for (const stream of streams) {
          expect((await store.readStream(stream)).map((e) => e.revision)).toEqual([0n, 1n, 2n]);
        }
      });
    });

    describe('idempotent appends', () => {
      it('appending the same event ids again answers the first result and writes nothing', async () => {
        const stream = streamOf();
        const events = [event(), event()];
        const first = await store.append(stream, events, 'no_stream');
        const head = await store.headPosition();
        const again = await store.append(stream, events, 'no_stream');
        expect(again).toEqual(first);
        expect(await store.headPosition()).toBe(head);
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('still answers the first result after the stream has moved on', async () => {
        const stream = streamOf();
        const events = [event()];
        const first = await store.append(stream, events, 'no_stream');
        await store.append(stream, [event()], 0n);
        const again = await store.append(stream, events, 'no_stream');
        expect(again.nextExpectedRevision).toBe(first.nextExpectedRevision);
        expect(again.position).toBe(first.position);
        expect(await store.readStream(stream)).toHaveLength(2);
      });
    });

    describe('reading a stream', () => {
      it('records every field of an event', async () => {
        const stream = streamOf();
        const appended = event('Recorded', { text: 'Mörby centrum', n: 3, nested: { ok: true } });
        const before = Date.now();
        const result = await store.append(stream, [appended], 'no_stream');
        const [read] = await store.readStream(stream);
        expect(read.id).toBe(appended.id);
        expect(read.type).toBe('Recorded');
        expect(read.stream).toBe(stream);
        expect(read.revision).toBe(0n);
        expect(read.position).toBe(result.position);
        expect(read.data).toEqual(appended.data);
        expect(read.metadata).toEqual(appended.metadata);
        expect(read.recordedAt).toBeInstanceOf(Date);
        expect(read.recordedAt.getTime()).toBeGreaterThanOrEqual(before - 5_000);
      });

      it('reads forwards and backwards from a revision, with a limit', async () => {
        const stream = streamOf();
        await store.append(stream, Array.from({ length: 5 }, (_, n) => event('E', { n })), 'no_stream');
        const nOf = (events: RecordedEvent[]) => events.map((e) => (e.data as { n: number }).n);
        expect(nOf(await store.readStream(stream))).toEqual([0, 1, 2, 3, 4]);
        expect(nOf(await store.readStream(stream, { fromRevision: 2n }))).toEqual([2, 3, 4]);
        expect(nOf(await store.readStream(stream, { fromRevision: 1n, maxCount: 2 }))).toEqual([1, 2]);
        expect(nOf(await store.readStream(stream, { direction: 'backwards' }))).toEqual([4, 3, 2, 1, 0]);
        expect(nOf(await store.readStream(stream, { direction: 'backwards', maxCount: 1 }))).toEqual([4]);
        expect(nOf(await store.readStream(stream, { direction: 'backwards', fromRevision: 2n, maxCount: 2 }))).toEqual([2, 1]);
      });

      it('reads a stream that does not exist as empty', async () => {
        expect(await store.readStream(streamOf())).toEqual([]);
      });
    });

    describe('the global log', () => {
      it('holds events in append order with increasing positions', async () => {
        const head = await store.headPosition();
        const cat = category();
        const a = streamOf(cat);
        const b = streamOf(cat);
        const r1 = await store.append(a, [event('A', { i: 1 })], 'no_stream');
        const r2 = await store.append(b, [event('B', { i: 2 }), event('B', { i: 3 })], 'no_stream');
        const r3 = await store.append(a, [event('A', { i: 4 })], 0n);
        expect(r1.position < r2.position && r2.position < r3.position).toBe(true);
        const log = await store.readAll({ after: head, filter: { streamCategories: [cat] } });
        expect(log.map((e) => (e.data as { i: number }).i)).toEqual([1, 2, 3, 4]);
        for (let i = 1; i < log.length; i++) expect(log[i].position > log[i - 1].position).toBe(true);
        expect(log[log.length - 1].position).toBe(r3.position);
        expect(await store.headPosition()).toBeDefined();
      });

      it('reads after a position, a page at a time, filtered by type or category', async () => {
        const head = await store.headPosition();
        const cat = category();
        const other = category();
        const typeA = `A${cat}`;
        await store.append(streamOf(cat), [event(typeA, { i: 1 }), event('Other', { i: 2 })], 'no_stream');
        await store.append(streamOf(other), [event(typeA, { i: 3 })], 'no_stream');
        await store.append(streamOf(cat), [event(typeA, { i: 4 })], 'no_stream');
        const ofCat = await store.readAll({ after: head, filter: { streamCategories: [cat] } });
        expect(ofCat.map((e) => (e.data as { i: number }).i)).toEqual([1, 2, 4]);
        const ofType = await store.readAll({ after: head, filter: { eventTypes: [typeA] } });
        expect(ofType.map((e) => (e.data as { i: number }).i)).toEqual([1, 3, 4]);
        const firstPage = await store.readAll({ after: head, maxCount: 2, filter: { streamCategories: [cat, other] } });
        expect(firstPage).toHaveLength(2);
        const secondPage = await store.readAll({ after: firstPage[1].position, filter: { streamCategories: [cat, other] } });
        expect(secondPage.map((e) => (e.data as { i: number }).i)).toEqual([3, 4]);
      });

      it('reads the same events lean, each field as a whole read has it', async () => {
        const head = await store.headPosition();
        const cat = category();
        await store.append(streamOf(cat), [event('A', { i: 1 }), event('B', { i: 2 })], 'no_stream');
        await store.append(streamOf(cat), [event('A', { i: 3 })], 'no_stream');
        const fieldsOf = (events: RecordedEvent[]) =>
          events.map(({ id, type, stream, revision, position, data, metadata, recordedAt }) => ({ id, type, stream, revision, position, data, metadata, recordedAt }));
        const whole = await store.readAll({ after: head, filter: { streamCategories: [cat] } });
        expect(whole).toHaveLength(3);
        expect(fieldsOf(await store.readAll({ after: head, filter: { streamCategories: [cat] }, lean: true }))).toEqual(fieldsOf(whole));
        const firstPage = await store.readAll({ after: head, maxCount: 2, lean: true });
        expect(firstPage.map((e) => e.position)).toEqual(whole.slice(0, 2).map((e) => e.position));
      });
    });

    describe('subscriptions', () => {
      const take = async (subscription: Subscription, count: number, timeoutMs = 10_000): Promise<RecordedEvent[]> => {
        const taken: RecordedEvent[] = [];
        const timeout = setTimeout(() => void subscription.close(), timeoutMs);
        for await (const e of subscription) {
          taken.push(e);
          if (taken.length === count) break;
        }
        clearTimeout(timeout);
        return taken;
      };

      it('delivers history, then live events, in order', async () => {
        const head = await store.headPosition();
        const cat = category();
        const stream = streamOf(cat);
        await store.append(stream, [event('E', { i: 1 }), event('E', { i: 2 })], 'no_stream');
        const subscription = store.subscribeToAll({ after: head, filter: { streamCategories: [cat] } });
        const received = take(subscription, 4);
        await new Promise((resolve) => setTimeout(resolve, 50));
        await store.append(stream, [event('E', { i: 3 })], 1n);
        await store.append(streamOf(cat), [event('E', { i: 4 })], 'no_stream');
        const events = await received;
        await subscription.close();
        expect(events.map((e) => (e.data as { i: number }).i)).toEqual([1, 2, 3, 4]);
      });

      it('resumes after the last position it delivered, without gaps or repeats', async () => {
        const head = await store.headPosition();
        const cat = category();
        await store.append(streamOf(cat), Array.from({ length: 6 }, (_, i) => event('E', { i })), 'no_stream');
        const first = store.subscribeToAll({ after: head, filter: { streamCategories: [cat] } });
        const firstPart = await take(first, 2);
        const resumeAfter = first.lastPosition;
        await first.close();
        expect(resumeAfter).toBe(firstPart[1].position);
        const second = store.subscribeToAll({ after: resumeAfter, filter: { streamCategories: [cat] } });
        const rest = await take(second, 4);
        await second.close();
        expect([...firstPart, ...rest].map((e) => (e.data as { i: number }).i)).toEqual([0, 1, 2, 3, 4, 5]);
      });

      it('ends iteration when closed while waiting for live events', async () => {
        const subscription = store.subscribeToAll({ after: await store.headPosition(), filter: { streamCategories: [category()] } });
        const done = (async () => {
          let n = 0;
          for await (const _ of subscription) n++;
          return n;
        })();
        await new Promise((resolve) => setTimeout(resolve, 50));
        await subscription.close();
        expect(await done).toBe(0);
      });
    });

    it('refuses an event id that is already in another stream', async () => {
      const duplicate = event();
      await store.append(streamOf(), [duplicate], 'no_stream');
      const other = streamOf();
      const error = await rejection(store.append(other, [event(), duplicate], 'no_stream'));
      expect(error).toBeInstanceOf(DuplicateEventIdError);
      expect(await store.readStream(other)).toEqual([]);
    });

    it('leaves a stream that a refused first append would have created as new as before', async () => {
      const taken = event();
      await store.append(streamOf(), [taken], 'no_stream');
      const fresh = streamOf();
      await rejection(store.append(fresh, [taken], 'no_stream'));
      await expect(store.append(fresh, [event()], 'stream_exists')).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      const second = event();
      expect((await store.append(fresh, [second], 'no_stream')).nextExpectedRevision).toBe(0n);
      expect((await store.readStream(fresh)).map((e) => e.id)).toEqual([second.id]);
    });
  });
}
