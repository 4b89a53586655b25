import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { eventStoreContract } from './event-store.contract.js';
import { SqliteEventStore } from './sqlite.adapter.js';

const dir = mkdtempSync(join(tmpdir(), 'samverkan-es-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

eventStoreContract('sqlite', async () => new SqliteEventStore({ file: join(dir, 'contract.sqlite') }));

describe('SqliteEventStore specifics', () => {
  const metadata = { actor: { id: 't', role: 't', organisation: 't' }, command: 'T', correlationId: 'c', causationId: 'c' };

  it('keeps what it acknowledged across a reopen of the file', async () => {
    const file = join(dir, 'reopen.sqlite');
    const first = new SqliteEventStore({ file });
    const result = await first.append('thing-1', [{ id: randomUUID(), type: 'T', data: { a: 1 }, metadata }], 'no_stream');
    await first.close();
    const second = new SqliteEventStore({ file });
    const events = await second.readStream('thing-1');
    expect(events).toHaveLength(1);
    expect(events[0].position).toBe(result.position);
    await second.close();
  });

  it('commits concurrent appends as one group, each checked on its own', async () => {
    const store = new SqliteEventStore({ file: join(dir, 'group.sqlite') });
    const appends = Array.from({ length: 50 }, (_, i) =>
      store.append(`thing-${i % 10}`, [{ id: randomUUID(), type: 'T', data: { i }, metadata }], 'no_stream'),
    );
    const results = await Promise.allSettled(appends);
    // Ten streams: the first append to each wins, the four later ones with no_stream lose.
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    expect(await store.headPosition()).toBe(10n);
    await store.close();
  });

  it('delivers to a subscriber in another process by polling the file', async () => {
    const file = join(dir, 'poll.sqlite');
    const reader = new SqliteEventStore({ file, pollIntervalMs: 20 });
    const writer = new SqliteEventStore({ file });
    const subscription = reader.subscribeToAll();
    const received = (async () => {
      for await (const e of subscription) return e;
    })();
    await new Promise((resolve) => setTimeout(resolve, 30));
    // A second connection stands in for the other process: its commit never signals `reader`.
    await writer.append('thing-x', [{ id: randomUUID(), type: 'T', data: {}, metadata }], 'no_stream');
    const event = await received;
    expect(event?.stream).toBe('thing-x');
    await subscription.close();
    await writer.close();
    await reader.close();
  });
});
