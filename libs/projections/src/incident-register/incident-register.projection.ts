import { assertNever, type CorrectedIncident, type IncidentReclassified, type IncidentRecorded, type IncidentRetracted } from '@app/domain';
import { UTC_INSTANT } from '@app/read-store';
import { internedNames } from '../interned-ids.js';
import { OneDocument } from '../one-document.js';
import type { PositionedDocument, Projection } from '../projection.js';

/** One incident as the register lists it. */
export interface IncidentRegisterEntry extends PositionedDocument {
  id: string;
  municipalityId: string;
  areaId: string | null;
  placeId: string | null;
  /** ISO instants in UTC (`toISOString`), so they sort as text. */
  occurredAt: string;
  reportedAt: string;
  category: string;
  source: string;
  status: 'recorded' | 'retracted';
  /** The incident stream's revision after the last event applied, as a decimal string. */
  revision: string;
}

type HandledEvent = IncidentRecorded | IncidentReclassified | IncidentRetracted;
const EVENT_TYPES: readonly HandledEvent['type'][] = ['IncidentRecorded', 'IncidentReclassified', 'IncidentRetracted'];

/** The incident register: every incident with its current classification and status, for filtered, paged lists. */
export const incidentRegisterProjection: Projection<IncidentRegisterEntry> = {
  name: 'incident-register',
  version: 2,
  // A row per incident, and two index builds at the head: with two threads, it runs alone in one.
  // Its thread took 8.2–9.4 s of a rebuild, the other four's 8.2–8.8 s (bench/README, seventh round):
  // as heavy as the rest together, and its weight must stay above theirs for it to run alone.
  weight: 2.75,
  eventTypes: EVENT_TYPES,
  schema: {
    fields: { municipalityId: 'string', occurredAt: 'string', category: 'string', areaId: 'string', placeId: 'string', source: 'string', status: 'string' },
    // Lists are per municipality and newest first. Every filter (category, area, place, source,
    // status) narrows the municipality's time range as it is read: an index per filter would cost
    // every rebuild a bulk build (one by category was about a sixth of a rebuild's CPU), while with a
    // million incidents a page of the rarest category (1 %) reads some 5,000 rows, a few milliseconds.
    indexes: [['municipalityId', 'occurredAt']],
  },

  keys(event) {
    return [(event.data as HandledEvent['data']).incidentId];
  },

  // Each event states the incident whole: a correction carries the incident as it stood, so an entry
  // never needs the one before it (see `writeOnly`).
  writeOnly: true,
  // An incident's stream starts with its recording (the decider appends it to a new stream), and
  // every other event the register handles comes later in that stream.
  creates: (event) => event.type === 'IncidentRecorded',

  evolve(_documents, event) {
    const handled = { type: event.type, data: event.data } as HandledEvent;
    let entry: IncidentRegisterEntry;
    switch (handled.type) {
      case 'IncidentRecorded':
        entry = entryOf(event, handled.data, { facts: handled.data, category: handled.data.category, status: 'recorded' });
        break;
      case 'IncidentReclassified':
        // A retracted incident is never reclassified (the decider refuses it).
        entry = entryOf(event, handled.data, { facts: handled.data.incident, category: handled.data.to, status: 'recorded' });
        break;
      case 'IncidentRetracted':
        entry = entryOf(event, handled.data, { facts: handled.data.incident, category: handled.data.incident.category, status: 'retracted' });
        break;
      default:
        return assertNever(handled);
    }
    return new OneDocument(entry.id, entry);
  },
};

/** What an incident's recording and each of its corrections state alike. */
type IncidentFacts = Pick<CorrectedIncident, 'areaId' | 'placeId' | 'occurredAt' | 'reportedAt' | 'source'>;

/**
 * The municipalities, areas, places, categories and sources of the entries, one string each. An entry
 * waits in memory for its commit (in a rebuild, hundreds of thousands of them at a time), so what it
 * holds is copied by every young-generation collection it lives through. As parsed from its event,
 * these were five strings of its own per entry; shared, the register's thread took about 0.3 s less
 * CPU in a rebuild from a million events (bench/README, twelfth round). Their values are few: ids of
 * what the municipalities registered, and the two closed lists.
 */
const name = internedNames();

/** Revisions as text: nearly every entry's is one of the first few. */
const REVISIONS = Array.from({ length: 64 }, (_, revision) => String(revision));
const revisionText = (revision: bigint) => (revision < REVISIONS.length ? REVISIONS[Number(revision)] : revision.toString());

/** The incident's entry as of this event, which names it and states its facts, category and status. */
function entryOf(
  event: { revision: bigint },
  incident: { incidentId: string; municipalityId: string },
  { facts, category, status }: { facts: IncidentFacts; category: string; status: IncidentRegisterEntry['status'] },
): IncidentRegisterEntry {
  return {
    id: incident.incidentId,
    municipalityId: name(incident.municipalityId),
    areaId: facts.areaId === null ? null : name(facts.areaId),
    placeId: facts.placeId === null ? null : name(facts.placeId),
    occurredAt: utc(facts.occurredAt),
    reportedAt: utc(facts.reportedAt),
    category: name(category),
    source: name(facts.source),
    status,
    revision: revisionText(event.revision),
    // Set to the event's position by evolveNamed, as for every document a projection returns.
    lastPosition: '0',
  };
}

/**
 * As `toISOString` writes it, so instants sort as text and occurredAt is what the register's cursors
 * take (`utc-instant`); most events already carry that form.
 */
function utc(instant: string): string {
  return UTC_INSTANT.test(instant) ? instant : new Date(instant).toISOString();
}
