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
import { instantMs, localTimeOf, periodLookup } from './local-time.js';
import {
  addTally,
  bump,
  type CorrectionsDocument,
  correctionsDocumentId,
  countIncident,
  emptyTally,
  type IncidentDocument,
  incidentDocumentId,
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
  type SituationPictureDocument,
  type SituationPictureSettings,
  situationPictureSettings,
} from './situation-picture.documents.js';
import { documentIdsUpTo, situationPictureFigures } from './situation-picture.query.js';
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

type Documents = ReadonlyMap<string, SituationPictureDocument | undefined>;
type Changes = Map<string, SituationPictureDocument | undefined>;

const asHandled = (event: ProjectedEvent) => ({ type: event.type, data: event.data }) as HandledEvent;

/** The document at `key` if it is of `kind`, as a shallow copy to change; else `fresh()`. */
function copyOr<K extends SituationPictureDocument['kind'], D extends Extract<SituationPictureDocument, { kind: K }>>(documents: Documents, key: string, kind: K, fresh: () => D): D {
  const existing = documents.get(key);
  return existing?.kind === kind ? ({ ...existing } as D) : fresh();
}

/**
 * The situation picture per municipality and 14-day period (SPEC 4), as a pure projection; the
 * figures are put together by `situationPictureView` (situation-picture.query.ts) from the period's
 * documents and its neighbours' (see situation-picture.documents.ts for the documents).
 *
 * keys():
 * - IncidentRecorded: the incident, the period of its `occurredAt` in local time (however late it
 *   is reported) and the correction bucket of the period it is recorded in, whose entry for the
 *   incident's period it folds into that period's tally.
 * - IncidentReclassified / IncidentRetracted: the incident (which says its period, category, area,
 *   place, source, hour) and the correction bucket of the period the event is recorded in.
 * - GuardPresenceReinforced / GuardReinforcementEnded: the reinforcement's shard.
 * - PatrolVisitLogged with a reinforcementId: the patrols of the period of its arrival.
 * - PoliceStatisticsImported: the police statistics of every period its dates overlap.
 * - SituationPicturePublished: what the view of the period reads (`situationPictureDocumentIds` as
 *   of the event's `recordedAt`), so the frozen figures include comparisons, hotspots, sources and
 *   reinforcements as they stood.
 *
 * A key that keys() named but that is missing from the documents handed to evolve() has seen the
 * event already (the position guard left it out); then nothing is applied.
 *
 * evolve() works on the documents it is handed: it returns new top-level objects but updates the
 * count maps inside them in place, so an event costs O(1) and no document is deep-copied; whoever
 * hands documents over must treat them as consumed. Frozen publications are deep copies.
 */
export function situationPictureProjection(options: Partial<SituationPictureSettings> = {}): Projection<SituationPictureDocument> {
  const settings = situationPictureSettings(options);
  const { timeZone } = settings;
  const periodFor = periodLookup(settings.anchor, timeZone);

  /** The period of an instant's local date, or null for a bad instant. */
  const periodAt = (iso: string) => {
    const ms = instantMs(iso);
    const local = localTimeOf(ms, timeZone);
    return local ? { ms, local, period: periodFor(local.date) } : null;
  };
  type Placed = ReturnType<typeof periodAt>;

  /** The start of the period an event was recorded in, by the log's clock. */
  function recordedIn(event: ProjectedEvent): string {
    const local = localTimeOf(event.recordedAt.getTime(), timeZone);
    if (!local) throw new RangeError(`event ${event.id} at position ${event.position} has no valid recordedAt`);
    return periodFor(local.date).periodStart;
  }

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

  function keys(event: ProjectedEvent): string[] {
    const handled = asHandled(event);
    switch (handled.type) {
      case 'IncidentRecorded': {
        const { incidentId, municipalityId, occurredAt } = handled.data;
        const at = periodAt(occurredAt);
        if (!at) return [];
        return [incidentDocumentId(incidentId), periodDocumentId(municipalityId, at.period.periodStart), correctionsDocumentId(municipalityId, recordedIn(event))];
      }
      case 'IncidentReclassified':
      case 'IncidentRetracted': {
        const { incidentId, municipalityId } = handled.data;
        return [incidentDocumentId(incidentId), correctionsDocumentId(municipalityId, recordedIn(event))];
      }
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
        return periodFor(periodStart).periodStart === periodStart ? documentIdsUpTo(municipalityId, periodStart, recordedIn(event)) : [];
      }
      default:
        return assertNever(handled);
    }
  }

  function evolve(documents: Documents, event: ProjectedEvent): Changes {
    const changes: Changes = new Map();
    const handled = asHandled(event);
    switch (handled.type) {
      case 'IncidentRecorded':
        recorded(documents, handled.data, periodAt(handled.data.occurredAt), recordedIn(event), changes);
        break;
      case 'IncidentReclassified':
      case 'IncidentRetracted':
        corrected(documents, handled, recordedIn(event), changes);
        break;
      case 'GuardPresenceReinforced':
      case 'GuardReinforcementEnded':
        reinforcement(documents, handled, changes);
        break;
      case 'PatrolVisitLogged':
        patrol(documents, handled.data, periodAt(handled.data.arrivedAt), changes);
        break;
      case 'PoliceStatisticsImported':
        policeStatistics(documents, handled.data, changes);
        break;
      case 'SituationPicturePublished':
        published(documents, handled.data, event.position, changes);
        break;
      default:
        assertNever(handled);
    }
    return changes;
  }

  function recorded(documents: Documents, data: IncidentRecorded['data'], at: Placed, bucket: string, changes: Changes): void {
    if (!at) return;
    const { municipalityId } = data;
    const { periodStart, periodEnd } = at.period;
    const incidentKey = incidentDocumentId(data.incidentId);
    const periodKey = periodDocumentId(municipalityId, periodStart);
    if (!documents.has(incidentKey) || !documents.has(periodKey) || documents.get(incidentKey) !== undefined) return;
    const incident: IncidentDocument = {
      kind: 'incident',
      lastPosition: '0',
      municipalityId,
      periodStart,
      category: data.category,
      areaId: data.areaId,
      placeId: data.placeId,
      source: data.source,
      cell: at.local.weekday * 24 + at.local.hour,
      late: instantMs(data.reportedAt) - at.ms > LATE_MS,
      status: 'recorded',
    };
    const period = copyOr(documents, periodKey, 'period', (): PeriodDocument => ({ kind: 'period', lastPosition: '0', municipalityId, periodStart, periodEnd, tally: emptyTally() }));
    countIncident(period.tally, incident, 1);
    changes.set(incidentKey, incident);
    changes.set(periodKey, period);
    // Fold corrections of this period waiting in the bucket of now into its tally.
    const bucketKey = correctionsDocumentId(municipalityId, bucket);
    const pending = documents.get(bucketKey);
    if (pending?.kind === 'corrections' && pending.periods[periodStart]) {
      addTally(period.tally, pending.periods[periodStart]);
      delete pending.periods[periodStart];
      changes.set(bucketKey, { ...pending });
    }
  }

  function corrected(documents: Documents, event: IncidentReclassified | IncidentRetracted, bucket: string, changes: Changes): void {
    const { incidentId, municipalityId } = event.data;
    const incidentKey = incidentDocumentId(incidentId);
    const bucketKey = correctionsDocumentId(municipalityId, bucket);
    const incident = documents.get(incidentKey);
    if (incident?.kind !== 'incident' || incident.status === 'retracted' || !documents.has(bucketKey)) return;
    if (event.type === 'IncidentReclassified' && event.data.to === incident.category) return;
    const corrections = copyOr(documents, bucketKey, 'corrections', (): CorrectionsDocument => ({ kind: 'corrections', lastPosition: '0', municipalityId, bucket, periods: {} }));
    const entry = (corrections.periods[incident.periodStart] ??= emptyTally());
    if (event.type === 'IncidentReclassified') {
      bump(entry.byCategory, incident.category, -1);
      bump(entry.byCategory, event.data.to, 1);
      entry.reclassifications += 1;
      changes.set(incidentKey, { ...incident, category: event.data.to });
    } else {
      countIncident(entry, incident, -1);
      entry.retractions += 1;
      changes.set(incidentKey, { ...incident, status: 'retracted' });
    }
    changes.set(bucketKey, corrections);
  }

  function reinforcement(documents: Documents, event: GuardPresenceReinforced | GuardReinforcementEnded, changes: Changes): void {
    const { municipalityId, reinforcementId } = event.data;
    const shard = shardOf(reinforcementId, REINFORCEMENT_SHARDS);
    const key = reinforcementsDocumentId(municipalityId, shard);
    if (!documents.has(key)) return;
    const registry = copyOr(documents, key, 'reinforcements', (): ReinforcementsDocument => ({ kind: 'reinforcements', lastPosition: '0', municipalityId, shard, items: {} }));
    if (event.type === 'GuardPresenceReinforced') {
      const { placeIds, from, to, hoursPerWeek, provider, fundedBy, measureId, actionPlanId } = event.data;
      registry.items[reinforcementId] = { reinforcementId, placeIds: [...placeIds], from, to, hoursPerWeek, provider, fundedBy, measureId, actionPlanId, endedOn: null, endReason: null };
    } else {
      const item = registry.items[reinforcementId];
      if (!item) return;
      registry.items[reinforcementId] = { ...item, endedOn: event.data.endedOn, endReason: event.data.reason };
    }
    changes.set(key, registry);
  }

  function patrol(documents: Documents, data: PatrolVisitLogged['data'], at: Placed, changes: Changes): void {
    if (!at || data.reinforcementId === null) return;
    const { municipalityId } = data;
    const { periodStart } = at.period;
    const key = patrolsDocumentId(municipalityId, periodStart);
    if (!documents.has(key)) return;
    const patrols = copyOr(documents, key, 'patrols', (): PatrolsDocument => ({ kind: 'patrols', lastPosition: '0', municipalityId, periodStart, byReinforcement: {} }));
    const hours = Math.max(0, (instantMs(data.departedAt) - at.ms) / HOUR_MS) || 0;
    const tally = (patrols.byReinforcement[data.reinforcementId] ??= { visits: 0, hours: 0, guardHours: 0 });
    tally.visits += 1;
    tally.hours += hours;
    tally.guardHours += hours * (data.guards ?? 1);
    changes.set(key, patrols);
  }

  function policeStatistics(documents: Documents, data: PoliceStatisticsImported['data'], changes: Changes): void {
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
  }

  function published(documents: Documents, data: SituationPicturePublished['data'], position: bigint, changes: Changes): void {
    const { municipalityId, periodStart } = data;
    const key = publicationsDocumentId(municipalityId, periodStart);
    if (!documents.has(key) || periodFor(periodStart).periodStart !== periodStart) return;
    const figures = situationPictureFigures(documents, municipalityId, periodStart, settings);
    const frozen: PublishedPicture = structuredClone({
      ...figures,
      publicationId: data.publicationId,
      publishedAt: data.publishedAt,
      position: data.position,
      frozenAtPosition: position.toString(),
      corrects: data.corrects,
      agreedActions: data.agreedActions,
    });
    const publications = copyOr(documents, key, 'publications', (): PublicationsDocument => ({ kind: 'publications', lastPosition: '0', municipalityId, periodStart, items: [] }));
    publications.items = [...publications.items, frozen];
    changes.set(key, publications);
  }

  return { name: 'situation-picture', version: 1, eventTypes: EVENT_TYPES, keys, evolve };
}
