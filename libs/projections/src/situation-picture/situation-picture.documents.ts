import { type BraCount, DEFAULT_PERIOD_ANCHOR, DEFAULT_TIME_ZONE, type GuardPresenceReinforced } from '@app/domain';
import { CountNames, CountVector, emptyCounts, storedCount } from '../counts.js';
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

/** A period as the projection keeps it in memory while it runs: its tally as one `CountVector` over `TallyNames`. */
export interface CountingPeriodDocument extends Omit<PeriodDocument, 'tally'> {
  tally: CountVector;
}

/** Where the counts of a tally's vector sit that every tally has: then the weekday × hour counts, then a slot per name counted. */
const TOTAL = 0;
const WITHOUT_PLACE = 1;
const WITHOUT_AREA = 2;
const LATE_REPORTS = 3;
const RECLASSIFICATIONS = 4;
const RETRACTIONS = 5;
const WEEKDAY_HOUR = 6;
const FIXED = ['total', 'withoutPlace', 'withoutArea', 'lateReports', 'reclassifications', 'retractions'] as const;

/** What a tally counts by name, in `Tally`'s order. */
const KINDS = ['byCategory', 'byArea', 'byPlace', 'bySource'] as const;
export const tallyKinds = { CATEGORY: 0, AREA: 1, PLACE: 2, SOURCE: 3 } as const;
type Kind = (typeof tallyKinds)[keyof typeof tallyKinds];

/**
 * The counts a projection's tallies keep, each at an index of their vectors: first those of every
 * tally (the total, those without a place or area, late reports, reclassifications, retractions and
 * the weekday × hour counts), then every category, area, place and source as it is first counted.
 *
 * One vector per tally, not a map per kind of name: an incident changes seven counts of its period,
 * and in one typed array they are found through one object instead of nine (the tally, four maps and
 * the weekday × hour array, with their tables), which on a log in random order were seldom in the
 * CPU's caches (bench/README, twelfth round).
 */
export class TallyNames {
  readonly space = new CountNames();
  private readonly byKind: ReadonlyArray<Map<string, number>> = KINDS.map(() => new Map());
  /** By index: the kind and name counted there (undefined for the counts of every tally). */
  private readonly named: Array<{ kind: Kind; name: string } | undefined> = [];

  constructor() {
    for (const name of FIXED) this.space.indexOf(name);
    for (let cell = 0; cell < WEEKDAY_HOURS; cell++) this.space.indexOf(`weekdayHour:${cell}`);
    this.named.length = this.space.names.length;
  }

  indexOf(kind: Kind, name: string): number {
    const indexes = this.byKind[kind];
    let index = indexes.get(name);
    if (index === undefined) {
      index = this.space.indexOf(`${KINDS[kind]}:${name}`);
      indexes.set(name, index);
      this.named[index] = { kind, name };
    }
    return index;
  }

  /** A tally to count in: empty, or holding the counts of a stored one. */
  counting(stored?: Tally): CountVector {
    const tally = new CountVector(this.space);
    if (!stored) return tally;
    FIXED.forEach((field, index) => tally.add(index, storedCount(field, stored[field])));
    stored.weekdayHour.forEach((count, cell) => tally.add(WEEKDAY_HOUR + cell, storedCount('weekdayHour', count)));
    KINDS.forEach((field, kind) => {
      const counts = stored[field];
      for (const name in counts) tally.add(this.indexOf(kind as Kind, name), storedCount(name, counts[name]));
    });
    return tally;
  }

  /** The tally as it is stored: its counts by name in maps without the zeros, in `emptyTally`'s order. */
  stored(tally: CountVector): Tally {
    const stored = emptyTally();
    for (let index = 0; index < FIXED.length; index++) stored[FIXED[index]] = tally.at(index);
    for (let cell = 0; cell < WEEKDAY_HOURS; cell++) stored.weekdayHour[cell] = tally.at(WEEKDAY_HOUR + cell);
    const { names } = this.space;
    for (let index = WEEKDAY_HOUR + WEEKDAY_HOURS; index < names.length; index++) {
      const count = tally.at(index);
      const named = this.named[index];
      if (count !== 0 && named) stored[KINDS[named.kind]][named.name] = count;
    }
    return stored;
  }
}

/** What one incident counts for in a tally: its category, area, place and source as indexes of `TallyNames` (-1: none). */
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

/** Counts an incident in (+1) or out (−1) of a tally, in place. */
export function countIncident(tally: CountVector, incident: CountedIncident, sign: 1 | -1): void {
  tally.add(TOTAL, sign);
  tally.add(incident.category, sign);
  tally.add(incident.area < 0 ? WITHOUT_AREA : incident.area, sign);
  tally.add(incident.place < 0 ? WITHOUT_PLACE : incident.place, sign);
  tally.add(incident.source, sign);
  tally.add(WEEKDAY_HOUR + incident.cell, sign);
  if (incident.late) tally.add(LATE_REPORTS, sign);
}

/** Moves an incident's count from one category to another (indexes of `TallyNames`), and counts the reclassification. */
export function reclassify(tally: CountVector, from: number, to: number): void {
  tally.add(from, -1);
  tally.add(to, 1);
  tally.add(RECLASSIFICATIONS, 1);
}

/** Takes an incident's counts out of a tally, and counts the retraction. */
export function retract(tally: CountVector, incident: CountedIncident): void {
  countIncident(tally, incident, -1);
  tally.add(RETRACTIONS, 1);
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
