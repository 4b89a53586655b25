import {
  addDays,
  assertNever,
  type GuardPresenceReinforced,
  type GuardReinforcementEnded,
  type IncidentReclassified,
  type IncidentRecorded,
  type IncidentRetracted,
  type PatrolVisitLogged,
  type PoliceStatisticsImported,
  type SituationPicturePublished,
} from '@app/domain';
import type { ProjectedEvent, Projection } from '../projection.js';
import { instantMs, isoDateOfDay, localDayAt, localTimeOf, periodLookup, periodStartDayLookup, weekHourAt } from './local-time.js';
import { CountVector } from '../counts.js';
import { NO_CHANGES, OneDocument, onlyKey } from '../one-document.js';
import { visitPresence } from '../guard-hours.js';
import { internedByDay } from '../interned-ids.js';
import {
  type CountedIncident,
  countIncident,
  type CountingPeriodDocument,
  LATE_REPORT_HOURS,
  type PatrolsDocument,
  patrolsDocumentId,
  type PeriodDocument,
  periodDocumentId,
  type PoliceStatisticsDocument,
  policeStatisticsDocumentId,
  type PublicationsDocument,
  publicationsDocumentId,
  REINFORCEMENT_SHARDS,
  type ReinforcementsDocument,
  reinforcementsDocumentId,
  shardOf,
  reclassify,
  retract,
  type SituationPictureDocument,
  type SituationPictureSettings,
  situationPictureSettings,
  tallyKinds,
  TallyNames,
} from './situation-picture.documents.js';
import { documentIdsOfView, situationPictureFigures } from './situation-picture.query.js';
import type { PublishedPicture } from './situation-picture.types.js';

type HandledEvent =
  | IncidentRecorded
  | IncidentReclassified
  | IncidentRetracted
  | GuardPresenceReinforced
  | GuardReinforcementEnded
  | PatrolVisitLogged
  | PoliceStatisticsImported
  | SituationPicturePublished;

const EVENT_TYPES: readonly HandledEvent['type'][] = [
  'IncidentRecorded',
  'IncidentReclassified',
  'IncidentRetracted',
  'GuardPresenceReinforced',
  'GuardReinforcementEnded',
  'PatrolVisitLogged',
  'PoliceStatisticsImported',
  'SituationPicturePublished',
];

const HOUR_MS = 3_600_000;
const LATE_MS = LATE_REPORT_HOURS * HOUR_MS;
/** A police-statistics import longer than this many periods (about 15 years) is not spread over periods. */
const MAX_IMPORT_PERIODS = 400;

/** Documents as stored, and periods as evolve keeps them in memory. */
type InMemory = SituationPictureDocument | CountingPeriodDocument;
type Documents = ReadonlyMap<string, InMemory | undefined>;
type Changes = ReadonlyMap<string, InMemory | undefined>;

const asHandled = (event: ProjectedEvent) => ({ type: event.type, data: event.data }) as HandledEvent;

/** The document at `key` if it is of `kind`, as a shallow copy to change; else `fresh()`. */
function copyOr<K extends Exclude<SituationPictureDocument['kind'], 'period'>, D extends Extract<SituationPictureDocument, { kind: K }>>(documents: Documents, key: string, kind: K, fresh: () => D): D {
  const existing = documents.get(key);
  return existing?.kind === kind ? ({ ...existing } as D) : fresh();
}

/**
 * The situation picture per municipality and 14-day period (SPEC 4), as a pure projection; the
 * figures are put together by `situationPictureView` (situation-picture.query.ts) from the period's
 * documents and its neighbours' (see situation-picture.documents.ts for the documents).
 *
 * keys():
 * - IncidentRecorded: the period of its `occurredAt` in local time (however late it is reported).
 * - IncidentReclassified / IncidentRetracted: the period of the corrected incident's `occurredAt`,
 *   which the event carries with the rest of what the incident counted for.
 * - GuardPresenceReinforced / GuardReinforcementEnded: the reinforcement's shard.
 * - PatrolVisitLogged with a reinforcementId: the patrols of the period of its arrival.
 * - PoliceStatisticsImported: the police statistics of every period its dates overlap.
 * - SituationPicturePublished: what the view of the period reads (`situationPictureDocumentIds`),
 *   so the frozen figures include comparisons, hotspots, sources and reinforcements as they stood.
 *
 * A key that keys() named but that is missing from the documents handed to evolve() has seen the
 * event already (the position guard left it out); then nothing is applied.
 *
 * evolve() works on the documents it is handed: it updates the count maps inside them in place, so
 * an event costs O(1) and no document is deep-copied; whoever hands documents over must treat them
 * as consumed. A period's tally, which every incident changes, is returned as the same document
 * (a copy per incident mostly lived until the period's next incident, long enough to be moved to the
 * old generation); the rarer documents are returned as new top-level objects. Frozen publications
 * share no object with the live documents or the event. In memory a period keeps its tally as one
 * `CountVector` over `TallyNames` (`CountingPeriodDocument`); `stored` gives the period with the tally
 * the store keeps.
 */
export function situationPictureProjection(options: Partial<SituationPictureSettings> = {}): Projection<SituationPictureDocument, CountingPeriodDocument> {
  const settings = situationPictureSettings(options);
  const { timeZone } = settings;
  const periodFor = periodLookup(settings.anchor, timeZone);
  // Every incident of a period names the same id (found by municipality and local day number, with
  // no date text: keys() runs for every incident), and a few categories, areas, places and sources.
  const periodStartDay = periodStartDayLookup(settings.anchor);
  const periodIdOn = internedByDay((municipalityId: string, day: number) => periodDocumentId(municipalityId, isoDateOfDay(periodStartDay(day))));
  // Where the tallies keep their counts: the fixed ones, then every category, area, place and source.
  const names = new TallyNames();
  const { CATEGORY, AREA, PLACE, SOURCE } = tallyKinds;

  /** The period of an instant's local date, or null for a bad instant. */
  const periodAt = (iso: string) => {
    const ms = instantMs(iso);
    const local = localTimeOf(ms, timeZone);
    return local ? { ms, local, period: periodFor(local.date) } : null;
  };
  type Placed = ReturnType<typeof periodAt>;

  /** Starts of the periods a date range `[from, to]` (inclusive local dates) overlaps. */
  function overlappedPeriods(from: string, to: string): string[] {
    let first;
    let last;
    try {
      first = periodFor(from).periodStart;
      last = periodFor(to).periodStart;
    } catch {
      return [];
    }
    const starts: string[] = [];
    for (let start = first; start <= last && starts.length < MAX_IMPORT_PERIODS; start = addDays(start, 14)) starts.push(start);
    return starts;
  }

  function incidentPeriodKeys(municipalityId: string, occurredAt: string): string[] {
    const day = localDayAt(instantMs(occurredAt), timeZone);
    return Number.isNaN(day) ? [] : [periodIdOn(municipalityId, day)];
  }

  function keys(event: ProjectedEvent): string[] {
    const handled = asHandled(event);
    switch (handled.type) {
      case 'IncidentRecorded':
        return incidentPeriodKeys(handled.data.municipalityId, handled.data.occurredAt);
      case 'IncidentReclassified':
      case 'IncidentRetracted':
        return incidentPeriodKeys(handled.data.municipalityId, handled.data.incident.occurredAt);
      case 'GuardPresenceReinforced':
      case 'GuardReinforcementEnded': {
        const { municipalityId, reinforcementId } = handled.data;
        return [reinforcementsDocumentId(municipalityId, shardOf(reinforcementId, REINFORCEMENT_SHARDS))];
      }
      case 'PatrolVisitLogged': {
        const { municipalityId, reinforcementId, arrivedAt } = handled.data;
        const at = reinforcementId === null ? null : periodAt(arrivedAt);
        return at ? [patrolsDocumentId(municipalityId, at.period.periodStart)] : [];
      }
      case 'PoliceStatisticsImported': {
        const { municipalityId, periodStart, periodEnd } = handled.data;
        return overlappedPeriods(periodStart, periodEnd).map((start) => policeStatisticsDocumentId(municipalityId, start));
      }
      case 'SituationPicturePublished': {
        const { municipalityId, periodStart } = handled.data;
        return periodFor(periodStart).periodStart === periodStart ? documentIdsOfView(municipalityId, periodStart) : [];
      }
      default:
        return assertNever(handled);
    }
  }

  function evolve(documents: Documents, event: ProjectedEvent): Changes {
    const handled = asHandled(event);
    switch (handled.type) {
      case 'IncidentRecorded':
        return recorded(documents, handled.data);
      case 'IncidentReclassified':
      case 'IncidentRetracted':
        return corrected(documents, handled);
      case 'GuardPresenceReinforced':
      case 'GuardReinforcementEnded':
        return reinforcement(documents, handled);
      case 'PatrolVisitLogged':
        return patrol(documents, handled.data, periodAt(handled.data.arrivedAt));
      case 'PoliceStatisticsImported':
        return policeStatistics(documents, handled.data);
      case 'SituationPicturePublished':
        return published(documents, handled.data, event.position);
      default:
        return assertNever(handled);
    }
  }

  /** What an incident counts for; its instant is one (keys() named its period). */
  function counted(facts: { category: string; areaId: string | null; placeId: string | null; source: string; occurredAt: string; reportedAt: string }): CountedIncident {
    const { category, areaId, placeId, source } = facts;
    const occurred = instantMs(facts.occurredAt);
    return {
      category: names.indexOf(CATEGORY, category),
      area: areaId === null ? -1 : names.indexOf(AREA, areaId),
      place: placeId === null ? -1 : names.indexOf(PLACE, placeId),
      source: names.indexOf(SOURCE, source),
      cell: weekHourAt(occurred, timeZone),
      late: instantMs(facts.reportedAt) - occurred > LATE_MS,
    };
  }

  /** The period as evolve keeps it: a stored period's tally is copied into a vector once. */
  function counting(period: PeriodDocument | CountingPeriodDocument): CountingPeriodDocument {
    return period.tally instanceof CountVector ? (period as CountingPeriodDocument) : { ...period, tally: names.counting(period.tally) };
  }

  function recorded(documents: Documents, data: IncidentRecorded['data']): Changes {
    // The period keys() named, if the position guard handed it over (so the instant is one).
    const key = onlyKey(documents);
    if (key === undefined) return NO_CHANGES;
    const existing = documents.get(key);
    // The period is placed again only for its first incident: an existing tally knows where it is.
    const period = existing?.kind === 'period' ? counting(existing) : emptyPeriod(data.municipalityId, data.occurredAt);
    countIncident(period.tally, counted(data), 1);
    return new OneDocument(key, period);
  }

  function emptyPeriod(municipalityId: string, occurredAt: string): CountingPeriodDocument {
    const { periodStart, periodEnd } = periodAt(occurredAt)!.period;
    return { kind: 'period', lastPosition: '0', municipalityId, periodStart, periodEnd, tally: names.counting() };
  }

  /**
   * Takes back what the incident counted for in its period (a retraction) or moves it to another
   * category (a reclassification). The decider corrects only a recorded, unretracted incident and
   * only to another category, so the event's facts are what the tally holds for it.
   */
  function corrected(documents: Documents, event: IncidentReclassified | IncidentRetracted): Changes {
    // The period keys() named, if the position guard handed it over (so the instant is one).
    const key = onlyKey(documents);
    if (key === undefined) return NO_CHANGES;
    const existing = documents.get(key);
    // No tally: the incident was never counted.
    if (existing?.kind !== 'period') return NO_CHANGES;
    const period = counting(existing);
    if (event.type === 'IncidentReclassified') reclassify(period.tally, names.indexOf(CATEGORY, event.data.from), names.indexOf(CATEGORY, event.data.to));
    else retract(period.tally, counted(event.data.incident));
    return new OneDocument(key, period);
  }

  function reinforcement(documents: Documents, event: GuardPresenceReinforced | GuardReinforcementEnded): Changes {
    const { municipalityId, reinforcementId } = event.data;
    const shard = shardOf(reinforcementId, REINFORCEMENT_SHARDS);
    const key = reinforcementsDocumentId(municipalityId, shard);
    if (!documents.has(key)) return NO_CHANGES;
    const registry = copyOr(documents, key, 'reinforcements', (): ReinforcementsDocument => ({ kind: 'reinforcements', lastPosition: '0', municipalityId, shard, items: {} }));
    if (event.type === 'GuardPresenceReinforced') {
      const { placeIds, from, to, hoursPerWeek, provider, fundedBy, measureId, actionPlanId } = event.data;
      registry.items[reinforcementId] = { reinforcementId, placeIds: [...placeIds], from, to, hoursPerWeek, provider, fundedBy, measureId, actionPlanId, endedOn: null, endReason: null };
    } else {
      const item = registry.items[reinforcementId];
      if (!item) return NO_CHANGES;
      registry.items[reinforcementId] = { ...item, endedOn: event.data.endedOn, endReason: event.data.reason };
    }
    return new OneDocument(key, registry);
  }

  function patrol(documents: Documents, data: PatrolVisitLogged['data'], at: Placed): Changes {
    if (!at || data.reinforcementId === null) return NO_CHANGES;
    const { municipalityId } = data;
    const { periodStart } = at.period;
    const key = patrolsDocumentId(municipalityId, periodStart);
    if (!documents.has(key)) return NO_CHANGES;
    const patrols = copyOr(documents, key, 'patrols', (): PatrolsDocument => ({ kind: 'patrols', lastPosition: '0', municipalityId, periodStart, byReinforcement: {} }));
    const { hours, guardHours } = visitPresence(at.ms, instantMs(data.departedAt), data.guards);
    const tally = (patrols.byReinforcement[data.reinforcementId] ??= { visits: 0, hours: 0, guardHours: 0 });
    tally.visits += 1;
    tally.hours += hours;
    tally.guardHours += guardHours;
    return new OneDocument(key, patrols);
  }

  function policeStatistics(documents: Documents, data: PoliceStatisticsImported['data']): Changes {
    const changes = new Map<string, InMemory>();
    const { importId, municipalityId, areaId, periodStart, periodEnd, source, counts, supersedes } = data;
    const entry = { importId, areaId, periodStart, periodEnd, source, counts: counts.map(({ braCategory, count }) => ({ braCategory, count })) };
    for (const start of overlappedPeriods(periodStart, periodEnd)) {
      const key = policeStatisticsDocumentId(municipalityId, start);
      if (!documents.has(key)) continue;
      const statistics = copyOr(documents, key, 'police-statistics', (): PoliceStatisticsDocument => ({ kind: 'police-statistics', lastPosition: '0', municipalityId, periodStart: start, imports: {} }));
      if (supersedes !== null) delete statistics.imports[supersedes];
      statistics.imports[importId] = entry;
      changes.set(key, statistics);
    }
    return changes;
  }

  function published(documents: Documents, data: SituationPicturePublished['data'], position: bigint): Changes {
    const { municipalityId, periodStart } = data;
    const key = publicationsDocumentId(municipalityId, periodStart);
    if (!documents.has(key) || periodFor(periodStart).periodStart !== periodStart) return NO_CHANGES;
    const figures = situationPictureFigures(storedForms(documents), municipalityId, periodStart, settings);
    // The figures are made afresh and share nothing with the documents (the query hands them out
    // too), so only what comes from the event is copied: deep-copying the whole of them cost more
    // than working them out.
    const frozen: PublishedPicture = {
      ...figures,
      publicationId: data.publicationId,
      publishedAt: data.publishedAt,
      position: data.position,
      frozenAtPosition: position.toString(),
      corrects: data.corrects,
      agreedActions: structuredClone(data.agreedActions),
    };
    const publications = copyOr(documents, key, 'publications', (): PublicationsDocument => ({ kind: 'publications', lastPosition: '0', municipalityId, periodStart, items: [] }));
    publications.items = [...publications.items, frozen];
    return new OneDocument(key, publications);
  }

  /** A period's tally, which every incident of the period counts in. */
  function prefetch(document: InMemory): number {
    return document.kind === 'period' && document.tally instanceof CountVector ? document.tally.touch() : 0;
  }

  function stored(document: InMemory): SituationPictureDocument {
    return document.kind === 'period' && document.tally instanceof CountVector ? { ...document, tally: names.stored(document.tally) } : (document as SituationPictureDocument);
  }

  /** The documents as stored, for the query's figures (a publication's, a few hundred in a log of a million). */
  function storedForms(documents: Documents): ReadonlyMap<string, SituationPictureDocument | undefined> {
    return new Map([...documents].map(([key, document]) => [key, document && stored(document)]));
  }

  // Periods are cut from the anchor in the time zone: other settings make other documents.
  return { name: 'situation-picture', version: 2, settings: { anchor: settings.anchor, timeZone }, eventTypes: EVENT_TYPES, keys, evolve, prefetch, stored };
}
