import { type BraCount, DEFAULT_PERIOD_ANCHOR, DEFAULT_TIME_ZONE, type GuardPresenceReinforced } from '@app/domain';
import { CountNames, CountVector, emptyCounts } from '../counts.js';
import type { PositionedDocument } from '../projection.js';
import type { PublishedPicture } from './situation-picture.types.js';

/**
 * The documents of the situation-picture projection, all plain JSON. They are cut by how often
 * they change, because the runner rewrites a whole document whenever an event changes it: the
 * incident tally of a period changes with every report, so what changes seldom (patrols, police
 * statistics, publications, reinforcements) lives beside it rather than in it.
 *
 * - `<municipalityId>:<periodStart>`: the incident tally of one 14-day period, net of
 *   reclassifications and retractions. A correction event carries the incident as it stood (when it
 *   occurred and was reported, its category, area, place and source), so it names the period of the
 *   incident's `occurredAt` and takes back exactly what the incident counted for there.
 * - `patrols:<municipalityId>:<periodStart>`: patrol visits that arrived in the period, per reinforcement.
 * - `police-statistics:<municipalityId>:<periodStart>`: the imports whose dates overlap the period.
 * - `publications:<municipalityId>:<periodStart>`: every publication, with its frozen figures.
 * - `reinforcements:<municipalityId>:<shard>`: guard reinforcements, 16 shards by id (an end names
 *   only the reinforcement, so the periods a reinforcement touches are worked out at query time).
 */

/** Incidents by local weekday (Monday = 0) and hour: index `weekday * 24 + hour`. */
export const WEEKDAY_HOURS = 7 * 24;

/** Counts of incidents. */
export interface Tally {
  total: number;
  byCategory: Record<string, number>;
  byArea: Record<string, number>;
  byPlace: Record<string, number>;
  bySource: Record<string, number>;
  /** WEEKDAY_HOURS counts, index `weekday * 24 + hour`, local time of occurrence. */
  weekdayHour: number[];
  withoutPlace: number;
  withoutArea: number;
  /** Reported more than LATE_REPORT_HOURS after they occurred. */
  lateReports: number;
  /** Reclassification events of the period's incidents (rework, so kept after a retraction). */
  reclassifications: number;
  retractions: number;
}

export interface PeriodDocument extends PositionedDocument {
  kind: 'period';
  municipalityId: string;
  periodStart: string;
  periodEnd: string;
  tally: Tally;
}

export interface PatrolTally {
  visits: number;
  /** Presence: departure − arrival. */
  hours: number;
  /** Presence × guards (1 where the visit does not say). */
  guardHours: number;
}

export interface PatrolsDocument extends PositionedDocument {
  kind: 'patrols';
  municipalityId: string;
  periodStart: string;
  /** Reinforcement id → visits that arrived in the period. */
  byReinforcement: Record<string, PatrolTally>;
}

export interface PoliceStatisticsEntry {
  importId: string;
  areaId: string | null;
  periodStart: string;
  periodEnd: string;
  source: string | null;
  counts: BraCount[];
}

export interface PoliceStatisticsDocument extends PositionedDocument {
  kind: 'police-statistics';
  municipalityId: string;
  periodStart: string;
  /** Import id → the import; a superseded import is removed. */
  imports: Record<string, PoliceStatisticsEntry>;
}

export interface PublicationsDocument extends PositionedDocument {
  kind: 'publications';
  municipalityId: string;
  periodStart: string;
  /** Oldest first; the last is in force. */
  items: PublishedPicture[];
}

/**
 * A tally as the projection keeps it in memory while it runs: its count maps as vectors over the
 * projection's `TallySpaces`, stored as `Tally`'s maps (`storedTally`).
 */
export interface CountingTally extends Omit<Tally, 'byCategory' | 'byArea' | 'byPlace' | 'bySource'> {
  byCategory: CountVector;
  byArea: CountVector;
  byPlace: CountVector;
  bySource: CountVector;
}

/** A period as the projection keeps it in memory while it runs. */
export interface CountingPeriodDocument extends Omit<PeriodDocument, 'tally'> {
  tally: CountingTally;
}

/** The names a projection's tallies count by: one space each for categories, areas, places and sources. */
export interface TallySpaces {
  categories: CountNames;
  areas: CountNames;
  places: CountNames;
  sources: CountNames;
}

export const tallySpaces = (): TallySpaces => ({ categories: new CountNames(), areas: new CountNames(), places: new CountNames(), sources: new CountNames() });

/** What one incident counts for in a tally: its category, area, place and source as indexes in the `TallySpaces` (-1: none). */
export interface CountedIncident {
  category: number;
  area: number;
  place: number;
  source: number;
  /** `weekday * 24 + hour`, local time of occurrence. */
  cell: number;
  late: boolean;
}

/** A reinforcement as it was decided (its municipality is the document's), and its end once recorded. */
export interface ReinforcementEntry extends Omit<GuardPresenceReinforced['data'], 'municipalityId'> {
  endedOn: string | null;
  endReason: string | null;
}

export interface ReinforcementsDocument extends PositionedDocument {
  kind: 'reinforcements';
  municipalityId: string;
  shard: number;
  items: Record<string, ReinforcementEntry>;
}

export type SituationPictureDocument =
  | PeriodDocument
  | PatrolsDocument
  | PoliceStatisticsDocument
  | PublicationsDocument
  | ReinforcementsDocument;

/** A report later than this after the incident is a late report: reportedAt − occurredAt > 72 h. */
export const LATE_REPORT_HOURS = 72;
export const REINFORCEMENT_SHARDS = 16;

export const periodDocumentId = (municipalityId: string, periodStart: string) => `${municipalityId}:${periodStart}`;
export const patrolsDocumentId = (municipalityId: string, periodStart: string) => `patrols:${municipalityId}:${periodStart}`;
export const policeStatisticsDocumentId = (municipalityId: string, periodStart: string) => `police-statistics:${municipalityId}:${periodStart}`;
export const publicationsDocumentId = (municipalityId: string, periodStart: string) => `publications:${municipalityId}:${periodStart}`;
export const reinforcementsDocumentId = (municipalityId: string, shard: number) => `reinforcements:${municipalityId}:${shard}`;

/** FNV-1a: a stable shard for an id, the same on every machine. */
export function shardOf(id: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % shards;
}

export function emptyTally(): Tally {
  return {
    total: 0,
    byCategory: emptyCounts(),
    byArea: emptyCounts(),
    byPlace: emptyCounts(),
    bySource: emptyCounts(),
    weekdayHour: new Array<number>(WEEKDAY_HOURS).fill(0),
    withoutPlace: 0,
    withoutArea: 0,
    lateReports: 0,
    reclassifications: 0,
    retractions: 0,
  };
}

/** A tally to count in: empty, or the counts of a stored one (whose weekday × hour counts it takes over). */
export function countingTally(spaces: TallySpaces, stored?: Tally): CountingTally {
  const tally = stored ?? emptyTally();
  return {
    ...tally,
    byCategory: CountVector.of(spaces.categories, tally.byCategory),
    byArea: CountVector.of(spaces.areas, tally.byArea),
    byPlace: CountVector.of(spaces.places, tally.byPlace),
    bySource: CountVector.of(spaces.sources, tally.bySource),
    weekdayHour: [...tally.weekdayHour],
  };
}

/** The tally as it is stored: its count maps without the zeros, and a copy of its weekday × hour counts. */
export function storedTally(tally: CountingTally): Tally {
  return {
    ...tally,
    byCategory: tally.byCategory.toRecord(),
    byArea: tally.byArea.toRecord(),
    byPlace: tally.byPlace.toRecord(),
    bySource: tally.bySource.toRecord(),
    weekdayHour: [...tally.weekdayHour],
  };
}

/** Counts an incident in (+1) or out (−1) of a tally, in place. */
export function countIncident(tally: CountingTally, incident: CountedIncident, sign: 1 | -1): void {
  tally.total += sign;
  tally.byCategory.add(incident.category, sign);
  if (incident.area < 0) tally.withoutArea += sign;
  else tally.byArea.add(incident.area, sign);
  if (incident.place < 0) tally.withoutPlace += sign;
  else tally.byPlace.add(incident.place, sign);
  tally.bySource.add(incident.source, sign);
  tally.weekdayHour[incident.cell] += sign;
  if (incident.late) tally.lateReports += sign;
}

/** SITUATION_PERIOD_ANCHOR and TZ_REPORTING (SPEC 6). */
export interface SituationPictureSettings {
  /** A Monday `YYYY-MM-DD`; periods start every 14 days from it. */
  anchor: string;
  /** IANA time zone the periods, weekdays and hours are cut in. */
  timeZone: string;
}

export function situationPictureSettings(settings: Partial<SituationPictureSettings> = {}): SituationPictureSettings {
  return { anchor: settings.anchor ?? DEFAULT_PERIOD_ANCHOR, timeZone: settings.timeZone ?? DEFAULT_TIME_ZONE };
}
