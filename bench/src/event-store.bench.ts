import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EventStore, type EventToAppend, SqliteEventStore } from '@app/event-store';
import { incident, type IncidentEvent } from '@app/domain';
// The generator the command pipeline uses for event ids and server-generated ids, so the indexes see keys as production makes them.
import { timeOrderedUuid } from '@app/application/command-pipeline/ids.js';
import { measure, type PhaseResult } from './measure.js';

export interface EventStoreBenchOptions {
  streams: number;
  eventsPerStream: number;
  concurrency: number;
  /** Which phases to run: `sequential`, `concurrent`, `batched` (which also feeds the two read phases). Default all. */
  phases?: readonly string[];
}

/** An IncidentRecorded (first) or IncidentReclassified event with the metadata the pipeline writes: about 600 bytes. */
function realisticEvent(incidentId: string, revision: number, sharedMetadata?: EventToAppend['metadata']): EventToAppend {
  const commandId = timeOrderedUuid();
  const metadata = sharedMetadata ?? {
    actor: { id: 'guard-company-7', role: 'security-guard', organisation: 'securitas-danderyd' },
    command: revision === 0 ? 'RecordIncident' : 'ReclassifyIncident',
    commandId,
    issuedAt: '2024-05-10T20:16:02.123Z',
    correlationId: commandId,
    causationId: commandId,
  };
  const data =
    revision === 0
      ? {
          incidentId,
          municipalityId: 'danderyd',
          areaId: 'centrala-danderyd',
          placeId: 'morby-centrum',
          location: { lat: 59.3983, lon: 18.0357 },
          occurredAt: '2024-05-10T20:15:00.000Z',
          reportedAt: '2024-05-10T20:40:00.000Z',
          category: 'vandalism',
          source: 'security-guards',
          reportedToPolice: false,
          description: 'Krossad glasruta vid entrén mot Golfvägen, två personer sprang mot tunnelbanan.',
        }
      : { incidentId, municipalityId: 'danderyd', from: 'vandalism', to: revision % 2 ? 'graffiti' : 'vandalism', reason: 'corrected after review' };
  return { id: timeOrderedUuid(), type: revision === 0 ? 'IncidentRecorded' : 'IncidentReclassified', data, metadata };
}

export async function runEventStoreBench(label: string, open: (name: string) => Promise<EventStore>, options: EventStoreBenchOptions): Promise<PhaseResult[]> {
  const { streams, eventsPerStream, concurrency } = options;
  // BENCH_EVENT_STORE_PHASES picks phases for before/after comparisons of one of them.
  const phases = options.phases ?? process.env.BENCH_EVENT_STORE_PHASES?.split(',').map((name) => name.trim());
  const runs = (phase: string) => !phases || phases.includes(phase);
  // Incident ids as the pipeline generates them when the client leaves them out: time-ordered, made in order.
  const incidentIds = Array.from({ length: streams }, () => timeOrderedUuid());
  const streamName = (i: number) => `incident-${incidentIds[i]}`;
  const total = streams * eventsPerStream;
  const results: PhaseResult[] = [];
  console.log(`\n${label}: ${streams} streams × ${eventsPerStream} events = ${total} events per phase`);

  // 1. One event per append, awaited one after another, each with its exact expected revision.
  if (runs('sequential')) {
    const sequential = await open('sequential');
    results.push(
      await measure('append 1 event/append, sequential, exact revision', total, async () => {
        for (let revision = 0; revision < eventsPerStream; revision++) {
          for (let s = 0; s < streams; s++) {
            await sequential.append(streamName(s), [realisticEvent(incidentIds[s], revision)], revision === 0 ? 'no_stream' : BigInt(revision - 1));
          }
        }
      }),
    );
    await sequential.close();
  }

  // 2. The same appends, `concurrency` in flight at once (as concurrent requests would be).
  if (runs('concurrent')) {
    const concurrent = await open('concurrent');
    results.push(
      await measure(`append 1 event/append, ${concurrency} concurrent, exact revision`, total, async () => {
        let next = 0;
        await Promise.all(
          Array.from({ length: concurrency }, async () => {
            for (;;) {
              const n = next++;
              if (n >= total) return;
              const revision = Math.floor(n / streams);
              const s = n % streams;
              // Each worker's stream was last written `streams` appends ago, so the revision is known.
              await concurrent.append(streamName(s), [realisticEvent(incidentIds[s], revision)], revision === 0 ? 'no_stream' : BigInt(revision - 1));
            }
          }),
        );
      }),
    );
    await concurrent.close();
  }
  if (!runs('batched')) return results;

  // 3. A whole stream in one append.
  const batched = await open('batched');
  results.push(
    await measure(`append ${eventsPerStream} events/append`, total, async () => {
      for (let s = 0; s < streams; s++) {
        // One command's events share one metadata object, as the command pipeline writes them.
        const metadata = realisticEvent(incidentIds[s], 0).metadata;
        await batched.append(streamName(s), Array.from({ length: eventsPerStream }, (_, r) => realisticEvent(incidentIds[s], r, metadata)), 'no_stream');
      }
    }),
  );

  // 4. Read each stream and fold it into its state, as a command handler does.
  let folded = 0;
  results.push(
    await measure('read each stream and fold it', total, async () => {
      for (let s = 0; s < streams; s++) {
        const events = await batched.readStream(streamName(s));
        const state = events.reduce((st, e) => incident.evolve(st, { type: e.type, data: e.data } as IncidentEvent), incident.initialState());
        if (state.status !== 'none') folded += events.length;
      }
    }),
  );
  if (folded !== total) throw new Error(`folded ${folded} events, expected ${total}`);

  // 5. The whole log in order, a page at a time, as a projection rebuild reads it.
  let read = 0;
  results.push(
    await measure('read the whole log in order (pages of 1000)', total, async () => {
      let after: bigint | undefined;
      for (;;) {
        const page = await batched.readAll({ after, maxCount: 1000 });
        if (page.length === 0) break;
        read += page.length;
        after = page[page.length - 1].position;
      }
    }),
  );
  if (read < total) throw new Error(`read ${read} events, expected at least ${total}`);
  await batched.close();
  return results;
}

export async function sqliteBench(options: EventStoreBenchOptions): Promise<PhaseResult[]> {
  const dir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'samverkan-bench-'));
  try {
    return await runEventStoreBench('SQLite (WAL fdatasync before acknowledgement, group commit)', async (name) => new SqliteEventStore({ file: join(dir, `${name}.sqlite`) }), options);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
