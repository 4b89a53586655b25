import { describe, expect, it } from '@jest/globals';
import { CatchUpSubscription, LogSignal } from './catch-up-subscription.js';
import type { LogFilter, RecordedEvent } from './event-store.port.js';

/** A log in memory whose page reads are recorded. */
function watchedLog() {
  const events: RecordedEvent[] = [];
  const readsAfter: Array<bigint | undefined> = [];
  const signal = new LogSignal();
  const append = (type: string) => {
    const position = BigInt(events.length + 1);
    events.push({ id: `e${position}`, type, stream: `s-${position}`, revision: 0n, position, data: {}, metadata: {} as RecordedEvent['metadata'], recordedAt: new Date(0) });
    signal.notify();
  };
  const readPage = async (after: bigint | undefined, max: number, filter: LogFilter | undefined) => {
    readsAfter.push(after);
    return events.filter((e) => (after === undefined || e.position > after) && (!filter?.eventTypes || filter.eventTypes.includes(e.type))).slice(0, max);
  };
  const head = async () => (events.length === 0 ? undefined : BigInt(events.length));
  return { append, readPage, head, signal, readsAfter };
}

describe('CatchUpSubscription with a filter', () => {
  it('reads on from where it last looked, not from its last match, when other events pass by', async () => {
    const log = watchedLog();
    log.append('Rare');
    const subscription = new CatchUpSubscription(log.readPage, log.head, log.signal, { filter: { eventTypes: ['Rare'] } });
    const iterator = subscription[Symbol.asyncIterator]();
    expect((await iterator.next()).value?.position).toBe(1n);
    const next = iterator.next();
    for (let i = 0; i < 20; i++) {
      log.append('Common');
      await new Promise((resolve) => setImmediate(resolve));
    }
    log.append('Rare');
    expect((await next).value?.position).toBe(22n);
    expect(subscription.lastPosition).toBe(22n);
    // Woken by every append, it read on from where it had looked last: from the first match (1) only
    // until the first other event had been looked at, and last from just before the second match.
    expect(log.readsAfter.length).toBeGreaterThan(10);
    expect(log.readsAfter.filter((after) => after === 1n).length).toBeLessThanOrEqual(2);
    expect(log.readsAfter.at(-1)).toBe(21n);
    await subscription.close();
  });

  it('delivers every matching event once when they come in a burst among others', async () => {
    const log = watchedLog();
    const subscription = new CatchUpSubscription(log.readPage, log.head, log.signal, { filter: { eventTypes: ['Rare'] }, pageSize: 2 });
    for (let i = 1; i <= 30; i++) log.append(i % 3 === 0 ? 'Rare' : 'Common');
    const seen: bigint[] = [];
    for await (const event of subscription) {
      seen.push(event.position);
      if (seen.length === 10) break;
    }
    expect(seen).toEqual([3n, 6n, 9n, 12n, 15n, 18n, 21n, 24n, 27n, 30n]);
  });
});
