import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncidentReclassified, IncidentRecorded } from '@app/domain';
import {
  type EventStore,
  type EventToAppend,
  InMemoryEventStore,
  type ReadAllOptions,
  type RecordedEvent,
} from '@app/event-store';
import {
  type CheckpointChange,
  type DocumentPage,
  InMemoryReadStore,
  type PageCursor,
  type ProjectionRecord,
  type ReadStore,
  SqliteReadStore,
  type StoredDocument,
} from '@app/read-store';
import { type IncidentRegisterEntry, incidentRegisterProjection } from '../incident-register/incident-register.projection.js';
import { situationPictureProjection } from '../situation-picture/situation-picture.projection.js';
import { SituationPictureReader } from '../situation-picture/situation-picture.reader.js';
import { type PositionedDocument, project, type Projection } from '../projection.js';
import { projectionMetrics } from './projection-metrics.js';
import type { AnyProjection, RunnerOptions } from './projection-runner.js';
import type { ProjectionStatus } from './projection-status.js';
import { Projector } from './projector.js';

const dir = mkdtempSync(join(tmpdir(), 'samverkan-projector-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const register = incidentRegisterProjection as unknown as AnyProjection;
const fast: Partial<RunnerOptions> = { headPollMs: 2, idleProbeMs: 20, retryInitialMs: 5, retryMaxMs: 20 };
const metadata = { actor: { id: 't', role: 't', organisation: 't' }, command: 'Test', correlationId: 'c', causationId: 'c' };

let sequence = 0;
const uuid = () => `00000000-0000-4000-8000-${String(++sequence).padStart(12, '0')}`;
const incidentRecorded = (incidentId: string, description = 'krossad ruta'): EventToAppend => ({
  id: uuid(),
  type: 'IncidentRecorded',
  data: {
    incidentId,
    municipalityId: 'danderyd',
    areaId: 'djursholm',
    placeId: null,
    location: null,
    occurredAt: new Date(Date.UTC(2024, 4, 1) + sequence * 60_000).toISOString(),
    reportedAt: new Date(Date.UTC(2024, 4, 2)).toISOString(),
    category: sequence % 3 ? 'vandalism' : 'graffiti',
    source: 'police',
    reportedToPolice: true,
    description,
  },
  metadata,
});
/** A reclassification of the incident `recorded` made, carrying it as it stood. */
const reclassified = (recorded: EventToAppend): EventToAppend => {
  const { incidentId, municipalityId, occurredAt, reportedAt, category, areaId, placeId, source } = recorded.data as IncidentRecorded['data'];
  const data: IncidentReclassified['data'] = {
    incidentId,
    municipalityId,
    from: category,
    to: 'drugs',
    reason: null,
    incident: { occurredAt, reportedAt, category, areaId, placeId, source },
  };
  return { id: uuid(), type: 'IncidentReclassified', data, metadata };
};
const unrelated = (): EventToAppend => ({ id: uuid(), type: 'MunicipalityRegistered', data: { municipalityId: 'x' }, metadata });

/** `count` incidents, every fifth reclassified, each in its own stream. */
async function appendIncidents(store: EventStore, count: number, prefix = 'i'): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = `${prefix}${i}`;
    ids.push(id);
    const recorded = incidentRecorded(id);
    await store.append(`incident-${id}`, [recorded], 'no_stream');
    if (i % 5 === 0) await store.append(`incident-${id}`, [reclassified(recorded)], 0n);
  }
  return ids;
}

/** Polls until the check passes (never a fixed sleep). */
async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('the condition did not hold in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function statusOf(projector: Projector, name: string) {
  return (await projector.status()).find((s) => s.name === name)!;
}

async function liveAtHead(projector: Projector, store: EventStore, name: string) {
  const head = (await store.headPosition())?.toString();
  const status = await statusOf(projector, name);
  return status.state === 'live' && status.checkpoint === head;
}

/** Every document of a projection's live collection, through the query port. */
async function allDocuments(store: ReadStore, projection: string): Promise<Map<string, StoredDocument>> {
  const documents = new Map<string, StoredDocument>();
  let after: PageCursor | undefined;
  for (;;) {
    const page: DocumentPage<StoredDocument> = await store.query<StoredDocument>(projection, { limit: 500, after });
    for (const document of page.items) documents.set(document.id as string, document);
    if (!page.next) return documents;
    after = page.next;
  }
}

async function expected(store: EventStore, projection: AnyProjection): Promise<Map<string, unknown>> {
  return project(projection, await store.readAll()) as Map<string, unknown>;
}

/** The in-memory read store, recording every commit and failing the commits, loads and switches it is told to. */
class RecordingReadStore extends InMemoryReadStore {
  readonly commits: Array<{ collection: string; documents: number; checkpoint: CheckpointChange }> = [];
  failNextCommits = 0;
  failNextLoads = 0;
  /** While true, every switch of the live collection fails, as one on a busy registry would. */
  refusePromotes = false;
  /** The next switch is recorded, and then its answer is lost. */
  loseNextPromoteAnswer = false;
  promotes = 0;

  /** While set, an index build waits for it (a large collection's takes seconds). */
  slowIndex: Promise<void> | undefined;
  /** At each switch: the checkpoints of the collection replaced and of the one that replaces it. */
  readonly switches: Array<{ replaced: bigint | undefined; replacing: bigint | undefined }> = [];

  override async index(collection: string): Promise<void> {
    await this.slowIndex;
    return super.index(collection);
  }

  override async promote(name: string, collection: string): Promise<ProjectionRecord> {
    this.promotes++;
    if (this.refusePromotes) throw new Error('SQLITE_BUSY: database is locked');
    const live = (await this.projection(name))?.live?.collection;
    this.switches.push({ replaced: live === undefined ? undefined : await this.checkpoint(live), replacing: await this.checkpoint(collection) });
    const record = await super.promote(name, collection);
    if (this.loseNextPromoteAnswer) {
      this.loseNextPromoteAnswer = false;
      throw new Error('connection reset');
    }
    return record;
  }

  override async load<D extends StoredDocument>(collection: string, ids: readonly string[]): Promise<Map<string, D>> {
    if (this.failNextLoads > 0) {
      this.failNextLoads--;
      throw new Error('the read store is unavailable');
    }
    return super.load<D>(collection, ids);
  }

  override async commit(...[collection, changes, checkpoint, added]: Parameters<InMemoryReadStore['commit']>): Promise<void> {
    if (this.failNextCommits > 0) {
      this.failNextCommits--;
      throw new Error('the read store is unavailable');
    }
    await super.commit(collection, changes, checkpoint, added);
    this.commits.push({ collection, documents: changes.size + (added?.ids.length ?? 0), checkpoint });
  }
}

/** An event store whose reads of the log fail now and then, as a dropped connection would. */
class FlakyEventStore extends InMemoryEventStore {
  /** Which reads of a page fail (1 is the first). */
  failing = new Set([1, 4, 9]);
  reads = 0;

  override async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    if (this.failing.has(++this.reads)) throw new Error('connection reset');
    return super.readAll(options);
  }
}

/** Whether `touchy` throws on the incident whose description is 'boom'. */
let boomThrows = false;
/** A projection that throws on the incident whose description is 'boom', while boomThrows. */
const touchy: Projection<PositionedDocument & { id: string }> = {
  name: 'touchy',
  version: 1,
  eventTypes: ['IncidentRecorded'],
  keys: (event) => [(event.data as { incidentId: string }).incidentId],
  evolve(_documents, event) {
    const { incidentId, description } = event.data as { incidentId: string; description: string };
    if (boomThrows && description === 'boom') throw new TypeError('cannot read the boom');
    return new Map([[incidentId, { id: incidentId, lastPosition: '0' }]]);
  },
};

/** A projection that throws on the incident whose description is 'boom'. */
const exploding: Projection<PositionedDocument & { id: string }> = {
  name: 'exploding',
  version: 1,
  eventTypes: ['IncidentRecorded'],
  keys: (event) => [(event.data as { incidentId: string }).incidentId],
  evolve(_documents, event) {
    const { incidentId, description } = event.data as { incidentId: string; description: string };
    if (description === 'boom') throw new TypeError('cannot read the boom');
    return new Map([[incidentId, { id: incidentId, lastPosition: '0' }]]);
  },
};

describe('Projector', () => {
  const running: Projector[] = [];
  const started = async (projector: Projector) => {
    running.push(projector);
    await projector.start();
    return projector;
  };
  afterEach(async () => {
    await Promise.all(running.splice(0).map((projector) => projector.stop()));
  });

  it('applies events in log order in batches, each committed with its checkpoint', async () => {
    const events = new InMemoryEventStore();
    const reads = new RecordingReadStore();
    await appendIncidents(events, 2_000);
    const projector = await started(new Projector(events, reads, [register], { ...fast, pageSize: 500, catchUpCommitMs: 0 }));
    await eventually(() => liveAtHead(projector, events, 'incident-register'));

    const commits = reads.commits.filter((c) => c.documents > 0);
    // 2,400 events in batches of at most 500.
    expect(commits.length).toBeGreaterThanOrEqual(5);
    for (const [i, commit] of commits.entries()) {
      expect(commit.documents).toBeLessThanOrEqual(500);
      expect(commit.checkpoint.expected).toBe(i === 0 ? undefined : commits[i - 1].checkpoint.next);
    }
    expect(await allDocuments(reads, 'incident-register')).toEqual(await expected(events, register));
    const status = await statusOf(projector, 'incident-register');
    expect(status).toMatchObject({ version: register.version, state: 'live', lag: '0', collection: `incident-register@v${register.version}.1`, runsHere: true });
    expect(status.live).toMatchObject({ eventsApplied: 2_400, retries: 0, failure: null });
  });

  it('keeps going live: new events, events of other types, and waitFor for a position', async () => {
    const events = new InMemoryEventStore();
    const reads = new InMemoryReadStore();
    const projector = await started(new Projector(events, reads, [register], { ...fast, idleProbeMs: 60_000 }));
    await eventually(async () => (await statusOf(projector, 'incident-register')).state === 'live');

    const { position } = await events.append('incident-live', [incidentRecorded('live')], 'no_stream');
    expect(await projector.waitFor('incident-register', position, 2_000)).toBe(true);
    expect(await reads.get('incident-register', 'live')).toMatchObject({ id: 'live', lastPosition: position.toString() });

    // A position of an event it does not handle: reached as soon as it looks, not at the next probe a minute later.
    const other = await events.append('municipality-x', [unrelated()], 'no_stream');
    const waited = Date.now();
    expect(await projector.waitFor('incident-register', other.position, 2_000)).toBe(true);
    expect(Date.now() - waited).toBeLessThan(1_000);
    expect((await statusOf(projector, 'incident-register')).checkpoint).toBe(other.position.toString());

    expect(await projector.waitFor('incident-register', other.position + 10n, 50)).toBe(false);
  });

  it('resumes from its checkpoint after a restart, reading only what is new', async () => {
    const events = new InMemoryEventStore();
    const file = join(dir, 'resume.sqlite');
    await appendIncidents(events, 300, 'a');
    const first = new Projector(events, new SqliteReadStore({ file }), [register], fast);
    await first.start();
    await eventually(() => liveAtHead(first, events, 'incident-register'));
    await first.stop();

    await appendIncidents(events, 100, 'b');
    const reads = new SqliteReadStore({ file });
    const second = await started(new Projector(events, reads, [register], fast));
    await eventually(() => liveAtHead(second, events, 'incident-register'));
    expect((await statusOf(second, 'incident-register')).live?.eventsApplied).toBe(120);
    expect(await allDocuments(reads, 'incident-register')).toEqual(await expected(events, register));
  });

  it('reads again from the checkpoint, backing off, when a read of the log, a load of documents or a commit fails', async () => {
    const events = new FlakyEventStore();
    const reads = new RecordingReadStore();
    await appendIncidents(events, 50);
    reads.failNextCommits = 1;
    reads.failNextLoads = 1;
    // Run as a projection that loads its documents, as every one but a write-only one does.
    const loading = { ...register, writeOnly: false };
    const projector = await started(new Projector(events, reads, [loading], { ...fast, pageSize: 3, catchUpCommitMs: 0 }));
    await eventually(() => liveAtHead(projector, events, 'incident-register'));
    // Live now: new events, whose reads fail too.
    for (const round of ['live', 'later']) {
      await appendIncidents(events, 30, round);
      await eventually(() => liveAtHead(projector, events, 'incident-register'));
    }
    const status = await statusOf(projector, 'incident-register');
    expect(events.reads).toBeGreaterThan(9);
    expect(reads.failNextCommits).toBe(0);
    expect(reads.failNextLoads).toBe(0);
    // Three failed reads, one failed load and one failed commit.
    expect(status.live?.retries).toBe(5);
    expect(status.live?.lastError?.message).toMatch(/connection reset|unavailable/);
    expect(await allDocuments(reads, 'incident-register')).toEqual(await expected(events, register));
  });

  it('reads again from the checkpoint when a commit of a write-only projection fails, and commits when it has written more documents than it keeps', async () => {
    const events = new InMemoryEventStore();
    const reads = new RecordingReadStore();
    await appendIncidents(events, 600);
    reads.failNextCommits = 2;
    const projector = await started(new Projector(events, reads, [register], { ...fast, pageSize: 50, cacheSize: 250, catchUpCommitMs: 60_000 }));
    await eventually(() => liveAtHead(projector, events, 'incident-register'));

    const status = await statusOf(projector, 'incident-register');
    expect(reads.failNextCommits).toBe(0);
    expect(status.live?.retries).toBe(2);
    // Catching up with the interval a minute away: commits come when the documents written pass 250.
    const commits = reads.commits.filter((commit) => commit.documents > 0);
    expect(commits.length).toBeGreaterThanOrEqual(3);
    for (const commit of commits.slice(0, -1)) expect(commit.documents).toBeGreaterThan(250);
    expect(await allDocuments(reads, 'incident-register')).toEqual(await expected(events, register));
  });

  it('keeps a collection right when two projectors write it by mistake (the checkpoint is compared and set)', async () => {
    const events = new InMemoryEventStore();
    const file = join(dir, 'two-writers.sqlite');
    await appendIncidents(events, 500);
    const one = await started(new Projector(events, new SqliteReadStore({ file }), [register], { ...fast, pageSize: 50, catchUpCommitMs: 0 }));
    const reads = new SqliteReadStore({ file });
    const two = await started(new Projector(events, reads, [register], { ...fast, pageSize: 70, catchUpCommitMs: 0 }));
    await appendIncidents(events, 100, 'more');
    await eventually(async () => (await liveAtHead(one, events, 'incident-register')) && (await liveAtHead(two, events, 'incident-register')));
    const retries = [...(await one.status()), ...(await two.status())].reduce((n, s) => n + (s.live?.retries ?? 0), 0);
    expect(retries).toBeGreaterThan(0);
    expect(await allDocuments(reads, 'incident-register')).toEqual(await expected(events, register));
  });

  it('stops a projection that throws, alone, with the event and the error; the others go on', async () => {
    const events = new InMemoryEventStore();
    const reads = new InMemoryReadStore();
    await appendIncidents(events, 10);
    await events.append('incident-boom', [incidentRecorded('boom', 'boom')], 'no_stream');
    const bad = await events.headPosition();
    await appendIncidents(events, 10, 'after');
    const projector = await started(new Projector(events, reads, [register, exploding as unknown as AnyProjection], { ...fast, pageSize: 100, catchUpCommitMs: 0 }));

    await eventually(async () => (await statusOf(projector, 'exploding')).state === 'failing');
    await eventually(() => liveAtHead(projector, events, 'incident-register'));
    const failing = await statusOf(projector, 'exploding');
    expect(failing.live?.failure).toMatchObject({
      position: bad!.toString(),
      type: 'IncidentRecorded',
      stream: 'incident-boom',
      error: 'TypeError: cannot read the boom',
    });
    // What came before the failing event in its batch is committed; nothing after it.
    expect(failing.checkpoint).toBe((bad! - 1n).toString());
    expect((await reads.getMany('exploding', ['i9', 'boom', 'after0'])).size).toBe(1);
    expect(await projector.waitFor('exploding', bad!, 30)).toBe(false);
    expect(projectionMetrics(await projector.status(), bad!.toString())).toMatch(
      new RegExp(`^samverkan_projection_failed_position\\{projection="exploding",collection="exploding@v1\\.1",event_type="IncidentRecorded"\\} ${bad}$`, 'm'),
    );

    // The healthy one keeps up with new events.
    const { position } = await events.append('incident-later', [incidentRecorded('later')], 'no_stream');
    expect(await projector.waitFor('incident-register', position, 2_000)).toBe(true);
    expect((await statusOf(projector, 'exploding')).state).toBe('failing');
  });

  it('rebuilds beside the live collection and switches with no moment of empty answers', async () => {
    const events = new InMemoryEventStore();
    const reads = new SqliteReadStore({ file: join(dir, 'rebuild.sqlite') });
    const ids = await appendIncidents(events, 3_000);
    const projector = await started(new Projector(events, reads, [register], { ...fast, pageSize: 200, catchUpCommitMs: 0 }));
    await eventually(() => liveAtHead(projector, events, 'incident-register'));

    let reading = true;
    let reads_ = 0;
    const answers: number[] = [];
    const reader = (async () => {
      while (reading) {
        const page = await reads.query<IncidentRegisterEntry & StoredDocument>('incident-register', { where: { municipalityId: 'danderyd' }, orderBy: { field: 'occurredAt' }, limit: 5 });
        const one = await reads.get('incident-register', ids[2_999]);
        answers.push(page.items.length + (one ? 1 : 0));
        reads_++;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const rebuilding = projector.rebuild('incident-register');
    // Asked again meanwhile: the same rebuild, not a second one.
    const again = projector.rebuild('incident-register');
    await eventually(async () => (await statusOf(projector, 'incident-register')).state === 'rebuilding', 2_000).catch(() => {});
    // Events keep coming during the rebuild; both collections take them.
    const during = await appendIncidents(events, 50, 'during');
    const rebuilt = await rebuilding;
    expect(await again).toEqual(rebuilt);
    reading = false;
    await reader;

    expect(rebuilt).toMatchObject({ name: 'incident-register', collection: `incident-register@v${register.version}.2`, rebuild: null });
    expect(reads_).toBeGreaterThan(10);
    expect(answers.every((n) => n === 6)).toBe(true);
    expect((await reads.projection('incident-register'))?.live?.collection).toBe(`incident-register@v${register.version}.2`);
    expect(await reads.checkpoint(`incident-register@v${register.version}.1`)).toBeUndefined();

    const { position } = await events.append('incident-after', [incidentRecorded('after')], 'no_stream');
    expect(await projector.waitFor('incident-register', position, 2_000)).toBe(true);
    const documents = await allDocuments(reads, 'incident-register');
    expect(documents).toEqual(await expected(events, register));
    expect(documents.has(during[49])).toBe(true);
    expect((await statusOf(projector, 'incident-register')).state).toBe('live');
  });

  it('rebuilds a projection whose version changed, serving the old version until the new one is live', async () => {
    const events = new InMemoryEventStore();
    const reads = new InMemoryReadStore();
    await appendIncidents(events, 200);
    const v1 = new Projector(events, reads, [register], fast);
    await v1.start();
    await eventually(() => liveAtHead(v1, events, 'incident-register'));
    await v1.stop();

    const v2: AnyProjection = {
      ...register,
      version: register.version + 1,
      evolve: (documents, event) => {
        const changed = new Map(register.evolve(documents, event));
        for (const [key, document] of changed) if (document) changed.set(key, { ...document, v: 2 } as PositionedDocument);
        return changed;
      },
    };
    const projector = await started(new Projector(events, reads, [v2], fast));
    const first = await statusOf(projector, 'incident-register');
    expect(first.collection).toBe(`incident-register@v${register.version}.1`);
    await eventually(async () => (await statusOf(projector, 'incident-register')).collection === `incident-register@v${register.version + 1}.2`);
    expect(await reads.get('incident-register', 'i0')).toMatchObject({ v: 2 });
    expect(await allDocuments(reads, 'incident-register')).toEqual(await expected(events, v2));
  });

  it('rebuilds a projection made with other settings (another period anchor), serving the old collection until the new one is live', async () => {
    const events = new InMemoryEventStore();
    const reads = new InMemoryReadStore();
    for (const [i, day] of ['03', '10', '17'].entries()) {
      const event = incidentRecorded(`s${i}`);
      const occurredAt = `2021-03-${day}T10:00:00.000Z`;
      await events.append(`incident-s${i}`, [{ ...event, data: { ...(event.data as object), occurredAt, reportedAt: occurredAt } }], 'no_stream');
    }
    const picture = (anchor: string) => situationPictureProjection({ anchor, timeZone: 'Europe/Stockholm' }) as unknown as AnyProjection;
    const before = new Projector(events, reads, [picture('2021-01-04')], fast);
    await before.start();
    await eventually(() => liveAtHead(before, events, 'situation-picture'));
    await before.stop();
    expect((await new SituationPictureReader(reads, { anchor: '2021-01-04' }).read('danderyd', '2021-03-01')).total).toBe(2);

    // Moved a week: 03-03 falls in the period from 02-22, 03-10 and 03-17 in the one from 03-08.
    const projector = await started(new Projector(events, reads, [picture('2021-01-11')], fast));
    expect((await statusOf(projector, 'situation-picture')).collection).toBe('situation-picture@v2.1');
    await eventually(async () => (await statusOf(projector, 'situation-picture')).collection === 'situation-picture@v2.2');
    const reader = new SituationPictureReader(reads, { anchor: '2021-01-11' });
    expect((await reader.read('danderyd', '2021-02-22')).total).toBe(1);
    expect((await reader.read('danderyd', '2021-03-08')).total).toBe(2);
  });

  it('switches only once the new collection has caught up with what the old one applied while the new one built its indexes', async () => {
    const events = new InMemoryEventStore();
    const reads = new RecordingReadStore();
    await appendIncidents(events, 200);
    const projector = await started(new Projector(events, reads, [register], fast));
    await eventually(() => liveAtHead(projector, events, 'incident-register'));

    let indexed!: () => void;
    reads.slowIndex = new Promise((resolve) => (indexed = resolve));
    const rebuilding = projector.rebuild('incident-register');
    await eventually(async () => (await statusOf(projector, 'incident-register')).rebuild?.checkpoint === (await events.headPosition())!.toString());
    // The new collection is at the head and builds its indexes; the old one's runner goes on meanwhile.
    await appendIncidents(events, 20, 'meanwhile');
    const head = (await events.headPosition())!;
    expect(await projector.waitFor('incident-register', head, 2_000)).toBe(true);
    reads.slowIndex = undefined;
    indexed();

    await rebuilding;
    expect(reads.switches).toEqual([{ replaced: head, replacing: head }]);
    expect(await allDocuments(reads, 'incident-register')).toEqual(await expected(events, register));
  });

  it('tries a failed switch again, serving and updating the old collection meanwhile, until the rebuild switches', async () => {
    const events = new InMemoryEventStore();
    const reads = new RecordingReadStore();
    await appendIncidents(events, 300);
    const projector = await started(new Projector(events, reads, [register], { ...fast, pageSize: 100, catchUpCommitMs: 0 }));
    await eventually(() => liveAtHead(projector, events, 'incident-register'));
    const old = `incident-register@v${register.version}.1`;
    const rebuilt = `incident-register@v${register.version}.2`;

    reads.refusePromotes = true;
    // Settled here, so that a stop after a failed check is no unhandled rejection.
    const rebuilding = projector.rebuild('incident-register').catch((error: Error) => error);
    // Tried again after the back-off, not stuck after the first failure.
    await eventually(() => reads.promotes >= 3, 5_000);

    // Meanwhile the old collection is live, and a runner keeps it up to date.
    const during = await appendIncidents(events, 20, 'during');
    const head = (await events.headPosition())!;
    expect(await projector.waitFor('incident-register', head, 2_000)).toBe(true);
    expect((await reads.projection('incident-register'))?.live?.collection).toBe(old);
    expect(await reads.get('incident-register', during[19])).toMatchObject({ id: during[19] });
    let meanwhile: ProjectionStatus | undefined;
    await eventually(async () => {
      meanwhile = await statusOf(projector, 'incident-register');
      return meanwhile.live?.state === 'live' && meanwhile.rebuild?.checkpoint === head.toString();
    });
    expect(meanwhile).toMatchObject({ state: 'rebuilding', collection: old, live: { collection: old }, rebuild: { collection: rebuilt, state: 'catching-up' } });
    expect(meanwhile!.rebuild!.retries).toBeGreaterThan(0);
    expect(meanwhile!.rebuild!.lastError?.message).toBe('SQLITE_BUSY: database is locked');

    reads.refusePromotes = false;
    expect(await rebuilding).toMatchObject({ state: 'live', collection: rebuilt, rebuild: null });
    expect((await reads.projection('incident-register'))?.live?.collection).toBe(rebuilt);
    expect(await reads.checkpoint(old)).toBeUndefined();
    // The events appended while the switch failed are in the collection queries now read.
    const documents = await allDocuments(reads, 'incident-register');
    expect(documents).toEqual(await expected(events, register));
    expect(documents.has(during[19])).toBe(true);

    // And it goes on live.
    const { position } = await events.append('incident-after', [incidentRecorded('after')], 'no_stream');
    expect(await projector.waitFor('incident-register', position, 2_000)).toBe(true);
    expect(await reads.get('incident-register', 'after')).toMatchObject({ id: 'after' });
    expect(await statusOf(projector, 'incident-register')).toMatchObject({ state: 'live', collection: rebuilt, live: { collection: rebuilt, state: 'live' }, rebuild: null });
  });

  it('takes a switch that was recorded but whose answer was lost as done, starting no runner on the replaced collection', async () => {
    const events = new InMemoryEventStore();
    const reads = new RecordingReadStore();
    await appendIncidents(events, 50);
    const projector = await started(new Projector(events, reads, [register], fast));
    await eventually(() => liveAtHead(projector, events, 'incident-register'));
    const rebuilt = `incident-register@v${register.version}.2`;

    reads.loseNextPromoteAnswer = true;
    const rebuilding = projector.rebuild('incident-register').catch((error: Error) => error);
    await eventually(async () => (await statusOf(projector, 'incident-register')).collection === rebuilt, 5_000);
    expect(await rebuilding).toMatchObject({ state: 'live', collection: rebuilt, rebuild: null });
    expect(reads.promotes).toBe(1);
    const { position } = await events.append('incident-after', [incidentRecorded('after')], 'no_stream');
    expect(await projector.waitFor('incident-register', position, 2_000)).toBe(true);
    expect(await statusOf(projector, 'incident-register')).toMatchObject({ state: 'live', live: { collection: rebuilt, retries: 0 } });
    expect(await reads.checkpoint(`incident-register@v${register.version}.1`)).toBeUndefined();
  });

  it('keeps serving the live collection when a rebuild fails, shows the failure as the rebuild’s, and starts afresh when asked again', async () => {
    const events = new InMemoryEventStore();
    const reads = new InMemoryReadStore();
    await appendIncidents(events, 10);
    await events.append('incident-boom', [incidentRecorded('boom', 'boom')], 'no_stream');
    const bad = (await events.headPosition())!;
    await appendIncidents(events, 10, 'after');
    boomThrows = false;
    const projector = await started(new Projector(events, reads, [touchy as unknown as AnyProjection], { ...fast, catchUpCommitMs: 0 }));
    await eventually(() => liveAtHead(projector, events, 'touchy'));

    boomThrows = true;
    await expect(projector.rebuild('touchy')).rejects.toThrow('touchy: the rebuild failed: TypeError: cannot read the boom');
    const failed = await statusOf(projector, 'touchy');
    expect(failed).toMatchObject({
      state: 'live',
      collection: 'touchy@v1.1',
      live: { state: 'live', failure: null },
      rebuild: { collection: 'touchy@v1.2', state: 'failing', failure: { position: bad.toString(), type: 'IncidentRecorded', stream: 'incident-boom' } },
    });
    expect(projectionMetrics([failed], bad.toString())).toMatch(/^samverkan_projection_failed_position\{projection="touchy",collection="touchy@v1\.2",event_type="IncidentRecorded"\} \d+$/m);
    // The live collection keeps up.
    const later = await events.append('incident-later', [incidentRecorded('later')], 'no_stream');
    expect(await projector.waitFor('touchy', later.position, 2_000)).toBe(true);
    expect(await reads.get('touchy', 'later')).toMatchObject({ id: 'later' });

    // Asked again, once the fault is gone: a fresh build, not the failed one's answer.
    boomThrows = false;
    expect(await projector.rebuild('touchy')).toMatchObject({ state: 'live', collection: 'touchy@v1.3', rebuild: null });
    expect(await allDocuments(reads, 'touchy')).toEqual(await expected(events, touchy as unknown as AnyProjection));
    expect(await reads.checkpoint('touchy@v1.2')).toBeUndefined();
  });

  it('shows a projection as failing when the rebuild of its new version fails, its old version served as it stands', async () => {
    const events = new InMemoryEventStore();
    const reads = new InMemoryReadStore();
    await appendIncidents(events, 10);
    await events.append('incident-boom', [incidentRecorded('boom', 'boom')], 'no_stream');
    const bad = (await events.headPosition())!;
    boomThrows = false;
    const v1 = new Projector(events, reads, [touchy as unknown as AnyProjection], fast);
    await v1.start();
    await eventually(() => liveAtHead(v1, events, 'touchy'));
    await v1.stop();

    boomThrows = true;
    const projector = await started(new Projector(events, reads, [{ ...touchy, version: 2 } as unknown as AnyProjection], fast));
    await eventually(async () => (await statusOf(projector, 'touchy')).rebuild?.state === 'failing');
    expect(await statusOf(projector, 'touchy')).toMatchObject({
      state: 'failing',
      collection: 'touchy@v1.1',
      checkpoint: bad.toString(),
      live: null,
      rebuild: { collection: 'touchy@v2.2', failure: { position: bad.toString() } },
    });
    expect(await reads.get('touchy', 'boom')).toMatchObject({ id: 'boom' });
  });
});
