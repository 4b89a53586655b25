import { describe, expect, it } from '@jest/globals';
import { InMemoryEventStore, type ReadAllOptions, type RecordedEvent } from '@app/event-store';
import { SharedLogPages } from './shared-log-pages.js';

const metadata = { actor: { id: 't', role: 't', organisation: 't' }, command: 'Test', correlationId: 'c', causationId: 'c' };

/** Counts the pages read from the store. */
class CountingStore extends InMemoryEventStore {
  reads = 0;
  override async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.reads++;
    return super.readAll(options);
  }
}

async function storeWith(count: number): Promise<CountingStore> {
  const store = new CountingStore();
  for (let i = 0; i < count; i++) {
    await store.append(`thing-${i}`, [{ id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, type: i % 2 ? 'Odd' : 'Even', data: { i }, metadata }], 'no_stream');
  }
  store.reads = 0;
  return store;
}

/** Counts the looks at the store's head. */
function countLooks(store: InMemoryEventStore): { count: number } {
  const looks = { count: 0 };
  const headPosition = store.headPosition.bind(store);
  store.headPosition = async () => {
    looks.count++;
    return headPosition();
  };
  return looks;
}

/** Every event after `after`, page by page, as a runner reads them. */
async function readToHead(pages: SharedLogPages, after?: bigint): Promise<bigint[]> {
  const positions: bigint[] = [];
  let at = after;
  for (;;) {
    const page = await pages.read(at);
    if (page.through === undefined || page.through === at) return positions;
    positions.push(...page.events.map((event) => event.position));
    at = page.through;
  }
}

describe('SharedLogPages', () => {
  it('hands every event after a position once, in order, page by page, and the same position at the head', async () => {
    const store = await storeWith(25);
    const pages = new SharedLogPages(store, 10);
    expect(await readToHead(pages)).toEqual(Array.from({ length: 25 }, (_, i) => BigInt(i + 1)));
    expect(await readToHead(pages, 7n)).toEqual(Array.from({ length: 18 }, (_, i) => BigInt(i + 8)));
    expect(await pages.read(25n)).toEqual({ events: [], through: 25n });
    expect(await new SharedLogPages(new InMemoryEventStore(), 10).read(undefined)).toEqual({ events: [], through: undefined });
  });

  it('reads a stretch once for runners moving through it together, also when they ask at the same moment', async () => {
    const store = await storeWith(100);
    const pages = new SharedLogPages(store, 10);
    const [a, b, c] = await Promise.all([readToHead(pages), readToHead(pages), readToHead(pages)]);
    expect(a).toHaveLength(100);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    // Ten pages and the read at the head for each runner that reached it first.
    expect(store.reads).toBeLessThanOrEqual(13);
  });

  it('serves a runner from the middle of a kept page, and reads for one that fell behind the kept pages', async () => {
    const store = await storeWith(100);
    const pages = new SharedLogPages(store, 10, 2);
    await readToHead(pages);
    const before = store.reads;
    // Pages (80, 90] and (90, 100] are kept: from 85 nothing is read.
    expect((await pages.read(85n)).events.map((event) => event.position)).toEqual([86n, 87n, 88n, 89n, 90n]);
    expect(store.reads).toBe(before);
    // Position 5 is long gone from memory: read again, and right.
    expect((await pages.read(5n)).events.map((event) => event.position)).toEqual([6n, 7n, 8n, 9n, 10n, 11n, 12n, 13n, 14n, 15n]);
    expect(store.reads).toBe(before + 1);
  });

  it('sees events appended after it reached the head', async () => {
    const store = await storeWith(5);
    const pages = new SharedLogPages(store, 10);
    expect(await readToHead(pages)).toHaveLength(5);
    await store.append('thing-new', [{ id: '00000000-0000-4000-8000-999999999999', type: 'Even', data: {}, metadata }], 'no_stream');
    expect(await readToHead(pages, 5n)).toEqual([6n]);
  });

  it('wakes the runners waiting at the head once the log moves past them, with one watch for all', async () => {
    const store = await storeWith(3);
    const looks = countLooks(store);
    const pages = new SharedLogPages(store, 10, 1);
    const atThree = pages.waitBeyond(3n);
    const alsoAtThree = pages.waitBeyond(3n);
    const behind = pages.waitBeyond(1n);
    const woken: string[] = [];
    void atThree.promise.then(() => woken.push('a'));
    void alsoAtThree.promise.then(() => woken.push('b'));
    await behind.promise; // the head (3) is already past 1
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(woken).toEqual([]);
    const looksBefore = looks.count;
    await store.append('thing-4', [{ id: '00000000-0000-4000-8000-000000000004', type: 'Even', data: {}, metadata }], 'no_stream');
    await Promise.all([atThree.promise, alsoAtThree.promise]);
    expect(woken.sort()).toEqual(['a', 'b']);
    // Nobody waits any more: the watch stops.
    const looksAfter = looks.count;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(looks.count).toBe(looksAfter);
    expect(looksAfter).toBeGreaterThan(looksBefore);
  });

  it('lets a waiter give up, and then stops watching the head', async () => {
    const store = await storeWith(2);
    const looks = countLooks(store);
    const pages = new SharedLogPages(store, 10, 1);
    const waiting = pages.waitBeyond(2n);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(looks.count).toBeGreaterThan(0);
    waiting.cancel();
    await waiting.promise;
    await new Promise((resolve) => setTimeout(resolve, 10));
    const settled = looks.count;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(looks.count).toBe(settled);
  });
});
