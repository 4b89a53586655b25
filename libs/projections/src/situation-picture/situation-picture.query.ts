import { addDays, INCIDENT_CATEGORY_IDS, INCIDENT_SOURCES, isCalendarDate, type Period } from '@app/domain';
import { daysBetween, periodLookup } from './local-time.js';
import { emptyCounts } from '../counts.js';
import {
  emptyTally,
  LATE_REPORT_HOURS,
  patrolsDocumentId,
  periodDocumentId,
  policeStatisticsDocumentId,
  publicationsDocumentId,
  type ReinforcementEntry,
  REINFORCEMENT_SHARDS,
  reinforcementsDocumentId,
  type SituationPictureDocument,
  type SituationPictureSettings,
  situationPictureSettings,
  type Tally,
} from './situation-picture.documents.js';
import type {
  BaselineComparison,
  Comparison,
  Hotspot,
  ReinforcementReport,
  SituationPictureFigures,
  SituationPictureView,
  SourceReport,
} from './situation-picture.types.js';
import { plannedHours } from '../guard-hours.js';
import { round } from '../rounding.js';

/**
 * The answers of `GET /situation-pictures/{municipality}/{periodStart}`, computed from the period's
 * documents and its neighbours'. Comparisons, hotspots and silent sources are worked out here, on
 * every read, rather than stored: a late report in an earlier period changes them at once.
 *
 * Usage at the HTTP edge:
 *   const period = situationPicturePeriod(date, settings);   // RangeError: not a date → 400
 *   if (!period.isPeriodStart) → 404 naming period.periodStart
 *   const docs = await readStore.getMany(situationPictureDocumentIds(municipalityId, date, settings));
 *   return situationPictureView(docs, municipalityId, date, settings);
 */

/** Hotspot rules, per place and per area, on live figures (see README "Hotspots"). */
export const HOTSPOT_RULES = {
  /** new and emerging: at least this many incidents this period. */
  minCount: 4,
  /** emerging: this period ≥ factor × the mean of the lookback periods (and that mean > 0). */
  emergingFactor: 2,
  /** new: none in these previous periods; emerging: their mean. */
  lookback: 6,
  /** persistent: at least this many in each of the last `persistentPeriods` periods, this one included. */
  persistentMin: 3,
  persistentPeriods: 3,
} as const;

/** A source that reported in at least `minPeriodsReporting` of the previous `lookback` periods and not in this one has gone silent. */
export const SILENT_SOURCE_RULE = { lookback: 6, minPeriodsReporting: 3 } as const;

/** The previous 12 periods make the baseline; 26 periods (364 days) back is "last year". */
export const BASELINE_PERIODS = 12;
export const LAST_YEAR_PERIODS = 26;

const PERIOD_DAYS = 14;

export interface PeriodAnswer {
  /** The start of the period that holds the date. */
  periodStart: string;
  periodEnd: string;
  /** Whether the date asked about is that start. */
  isPeriodStart: boolean;
}

const lookups = new Map<string, (date: string) => Period>();

/** periods.ts's `periodOf` for a date, kept per anchor and time zone. */
function periodFor(date: string, { anchor, timeZone }: SituationPictureSettings): Period {
  const key = `${anchor}|${timeZone}`;
  let lookup = lookups.get(key);
  if (!lookup) {
    lookup = periodLookup(anchor, timeZone);
    lookups.set(key, lookup);
  }
  return lookup(date);
}

/** The period holding a date `YYYY-MM-DD` (RangeError when it is not one): to answer a date that starts no period with a 404 naming the start. */
export function situationPicturePeriod(date: string, settings: Partial<SituationPictureSettings> = {}): PeriodAnswer {
  // Any date the period arithmetic counts with, not only the supported years: a range's first period
  // may start before them, and the next period after the last date starts after them.
  if (!isCalendarDate(date)) throw new RangeError(`not a date YYYY-MM-DD: ${date}`);
  const { periodStart, periodEnd } = periodFor(date, situationPictureSettings(settings));
  return { periodStart, periodEnd, isPeriodStart: periodStart === date };
}

/** The start of the period `count` periods from a period start (negative: earlier). */
const shiftStart = (periodStart: string, count: number) => addDays(periodStart, count * PERIOD_DAYS);
const endOf = (periodStart: string) => addDays(periodStart, PERIOD_DAYS - 1);

function assertPeriodStart(periodStart: string, settings: SituationPictureSettings): void {
  if (!situationPicturePeriod(periodStart, settings).isPeriodStart) throw new RangeError(`${periodStart} does not start a period`);
}

/**
 * Every document the view of a period reads, for one `getMany`: the tallies of the period, the 12
 * before it and the one 26 back; the period's patrols, police statistics and publications; and the
 * municipality's reinforcement shards.
 */
export function situationPictureDocumentIds(municipalityId: string, periodStart: string, settings: Partial<SituationPictureSettings> = {}): string[] {
  assertPeriodStart(periodStart, situationPictureSettings(settings));
  return documentIdsOfView(municipalityId, periodStart);
}

/** The ids of `situationPictureDocumentIds`, for a `periodStart` known to start a period. */
export function documentIdsOfView(municipalityId: string, periodStart: string): string[] {
  const ids = [periodDocumentId(municipalityId, periodStart)];
  for (let back = 1; back <= BASELINE_PERIODS; back++) ids.push(periodDocumentId(municipalityId, shiftStart(periodStart, -back)));
  ids.push(periodDocumentId(municipalityId, shiftStart(periodStart, -LAST_YEAR_PERIODS)));
  ids.push(patrolsDocumentId(municipalityId, periodStart), policeStatisticsDocumentId(municipalityId, periodStart), publicationsDocumentId(municipalityId, periodStart));
  for (let shard = 0; shard < REINFORCEMENT_SHARDS; shard++) ids.push(reinforcementsDocumentId(municipalityId, shard));
  return ids;
}

type Documents = ReadonlyMap<string, SituationPictureDocument | undefined>;


function sortedCounts(counts: Record<string, number>, order?: readonly string[], scale = 1): Record<string, number> {
  const keys = Object.keys(counts).filter((key) => counts[key] !== 0);
  if (order) {
    const rank = new Map(order.map((key, i) => [key, i]));
    keys.sort((a, b) => (rank.get(a) ?? order.length) - (rank.get(b) ?? order.length) || (a < b ? -1 : a > b ? 1 : 0));
  } else keys.sort();
  const sorted: Record<string, number> = {};
  for (const key of keys) sorted[key] = scale === 1 ? counts[key] : round(counts[key] * scale, 2);
  return sorted;
}

/** Worked out from the exact figure compared with (a mean of twelve periods is seldom a round number); only what is shown is rounded. */
function change(total: number, then: number): Pick<Comparison, 'change' | 'changePercent'> {
  return { change: round(total - then, 2), changePercent: then === 0 ? null : round(((total - then) / then) * 100, 1) };
}

function comparison(total: number, periodStart: string, periodEnd: string, tally: Tally, scale = 1): Comparison {
  const then = tally.total * scale;
  return {
    periodStart,
    periodEnd,
    total: round(then, 2),
    byCategory: sortedCounts(tally.byCategory, INCIDENT_CATEGORY_IDS, scale),
    byArea: sortedCounts(tally.byArea, undefined, scale),
    byPlace: sortedCounts(tally.byPlace, undefined, scale),
    ...change(total, then),
  };
}

const count = (counts: Record<string, number>, key: string) => counts[key] ?? 0;

function hotspots(current: Tally, previous: Tally[]): Hotspot[] {
  const { minCount, emergingFactor, lookback, persistentMin, persistentPeriods } = HOTSPOT_RULES;
  const found: Hotspot[] = [];
  for (const level of ['place', 'area'] as const) {
    const field = level === 'place' ? 'byPlace' : 'byArea';
    for (const id of Object.keys(current[field]).sort()) {
      const now = count(current[field], id);
      const before = previous.slice(0, lookback).map((tally) => count(tally[field], id));
      const mean = before.reduce((sum, n) => sum + n, 0) / lookback;
      const base = { level, id, count: now, previous: before };
      if (now >= minCount && before.every((n) => n === 0)) {
        found.push({ kind: 'new', ...base, rule: `new: ${now} incidents this period (at least ${minCount}) and none in the ${lookback} periods before` });
      }
      if (now >= minCount && mean > 0 && now >= emergingFactor * mean) {
        found.push({
          kind: 'emerging',
          ...base,
          rule: `emerging: ${now} incidents this period (at least ${minCount}), at least ${emergingFactor} × the mean of the ${lookback} periods before (${round(mean, 2)})`,
        });
      }
      const recent = [now, ...before.slice(0, persistentPeriods - 1)];
      if (recent.every((n) => n >= persistentMin)) {
        found.push({
          kind: 'persistent',
          ...base,
          rule: `persistent: at least ${persistentMin} incidents in each of the last ${persistentPeriods} periods (${[...recent].reverse().join(', ')}, the latest last)`,
        });
      }
    }
  }
  const kindOrder = { new: 0, emerging: 1, persistent: 2 };
  const levelOrder = { place: 0, area: 1 };
  return found.sort((a, b) => kindOrder[a.kind] - kindOrder[b.kind] || levelOrder[a.level] - levelOrder[b.level] || b.count - a.count || (a.id < b.id ? -1 : 1));
}

function sources(current: Tally, previous: Tally[]): SourceReport[] {
  const { lookback, minPeriodsReporting } = SILENT_SOURCE_RULE;
  const seen = new Set<string>(Object.keys(current.bySource));
  for (const tally of previous.slice(0, lookback)) for (const source of Object.keys(tally.bySource)) seen.add(source);
  const known = INCIDENT_SOURCES.filter((source) => seen.has(source)) as string[];
  const unknown = [...seen].filter((source) => !known.includes(source)).sort();
  return [...known, ...unknown].flatMap((source) => {
    const now = count(current.bySource, source);
    const before = previous.slice(0, lookback).map((tally) => count(tally.bySource, source));
    const periodsReporting = before.filter((n) => n > 0).length;
    if (now === 0 && periodsReporting === 0) return [];
    const silent = now === 0 && periodsReporting >= minPeriodsReporting;
    return [
      {
        source: source as SourceReport['source'],
        count: now,
        previous: before,
        periodsReporting,
        silent,
        warning: silent
          ? `${source} reported in ${periodsReporting} of the ${lookback} previous periods and not in this one: no reports is not the same as no incidents`
          : null,
      },
    ];
  });
}

function reinforcements(documents: Documents, municipalityId: string, periodStart: string, periodEnd: string): ReinforcementReport[] {
  const patrolled = documents.get(patrolsDocumentId(municipalityId, periodStart));
  const patrols = patrolled?.kind === 'patrols' ? patrolled.byReinforcement : {};
  const running = new Map<string, { item: ReinforcementEntry; daysInPeriod: number }>();
  for (let shard = 0; shard < REINFORCEMENT_SHARDS; shard++) {
    const registry = documents.get(reinforcementsDocumentId(municipalityId, shard));
    if (registry?.kind !== 'reinforcements') continue;
    for (const id in registry.items) {
      const item = registry.items[id];
      const last = item.endedOn !== null && item.endedOn < item.to ? item.endedOn : item.to;
      // Dates compare as strings; only what overlaps the period, or was patrolled in it, is shown.
      if ((item.from > periodEnd || last < periodStart) && !patrols[id]) continue;
      const from = item.from > periodStart ? item.from : periodStart;
      const to = last < periodEnd ? last : periodEnd;
      running.set(id, { item, daysInPeriod: Math.max(0, daysBetween(from, to) + 1) });
    }
  }
  const reports: ReinforcementReport[] = [];
  for (const reinforcementId of [...new Set([...running.keys(), ...Object.keys(patrols)])].sort()) {
    const { item, daysInPeriod } = running.get(reinforcementId) ?? { item: undefined, daysInPeriod: 0 };
    const logged = patrols[reinforcementId] ?? { visits: 0, hours: 0, guardHours: 0 };
    reports.push({
      reinforcementId,
      placeIds: item ? [...item.placeIds] : [],
      provider: item?.provider ?? null,
      fundedBy: item?.fundedBy ?? null,
      measureId: item?.measureId ?? null,
      actionPlanId: item?.actionPlanId ?? null,
      from: item?.from ?? null,
      to: item?.to ?? null,
      endedOn: item?.endedOn ?? null,
      hoursPerWeek: item?.hoursPerWeek ?? null,
      daysInPeriod,
      plannedHours: item ? plannedHours(item.hoursPerWeek, daysInPeriod) : 0,
      loggedHours: round(logged.hours, 2),
      loggedGuardHours: round(logged.guardHours, 2),
      visits: logged.visits,
    });
  }
  return reports;
}

function weekdayHour(tally: Tally): number[][] {
  return Array.from({ length: 7 }, (_, weekday) => tally.weekdayHour.slice(weekday * 24, weekday * 24 + 24));
}

/** The live figures of a period (no publication fields). `periodStart` must start a period. */
export function situationPictureFigures(
  documents: Documents,
  municipalityId: string,
  periodStart: string,
  settings: Partial<SituationPictureSettings> = {},
): SituationPictureFigures {
  assertPeriodStart(periodStart, situationPictureSettings(settings));
  const periodEnd = endOf(periodStart);
  const periodAt = (start: string) => documents.get(periodDocumentId(municipalityId, start));
  const tallyOf = (period: ReturnType<typeof periodAt>): Tally => (period?.kind === 'period' ? period.tally : emptyTally());
  const current = tallyOf(periodAt(periodStart));
  const previousStarts = Array.from({ length: BASELINE_PERIODS }, (_, i) => shiftStart(periodStart, -(i + 1)));
  const previousPeriods = previousStarts.map(periodAt);
  const previous = previousPeriods.map(tallyOf);
  const lastYearStart = shiftStart(periodStart, -LAST_YEAR_PERIODS);
  const baselineStart = previousStarts[BASELINE_PERIODS - 1];

  // Count maps (see counts.ts): plain objects given the keys of twelve periods in differing orders
  // would make V8 build a hidden class for each order.
  const sum = previous.reduce((into, tally) => {
    into.total += tally.total;
    for (const field of ['byCategory', 'byArea', 'byPlace'] as const) for (const key in tally[field]) into[field][key] = (into[field][key] ?? 0) + tally[field][key];
    return into;
  }, { total: 0, byCategory: emptyCounts(), byArea: emptyCounts(), byPlace: emptyCounts() } as Pick<Tally, 'total' | 'byCategory' | 'byArea' | 'byPlace'>);
  const periodsWithData = previousPeriods.filter((period) => period !== undefined).length;
  const baseline: BaselineComparison = {
    ...comparison(current.total, baselineStart, endOf(previousStarts[0]), sum as Tally, 1 / BASELINE_PERIODS),
    periods: BASELINE_PERIODS,
    periodsWithData,
  };

  const imported = documents.get(policeStatisticsDocumentId(municipalityId, periodStart));
  const statistics = imported?.kind === 'police-statistics' ? Object.values(imported.imports) : [];
  return {
    municipalityId,
    periodStart,
    periodEnd,
    total: current.total,
    byCategory: sortedCounts(current.byCategory, INCIDENT_CATEGORY_IDS),
    byArea: sortedCounts(current.byArea),
    byPlace: sortedCounts(current.byPlace),
    previous: comparison(current.total, previousStarts[0], endOf(previousStarts[0]), previous[0]),
    lastYear: comparison(current.total, lastYearStart, endOf(lastYearStart), tallyOf(periodAt(lastYearStart))),
    baseline,
    hotspots: hotspots(current, previous),
    weekdayHour: weekdayHour(current),
    sources: sources(current, previous),
    reinforcements: reinforcements(documents, municipalityId, periodStart, periodEnd),
    policeStatistics: statistics
      .map((entry) => ({ ...entry, counts: entry.counts.map((c) => ({ ...c })), total: entry.counts.reduce((n, c) => n + c.count, 0) }))
      .sort((a, b) => (a.areaId ?? '').localeCompare(b.areaId ?? '') || a.periodStart.localeCompare(b.periodStart) || a.importId.localeCompare(b.importId)),
    dataQuality: {
      incidents: current.total,
      withoutPlace: current.withoutPlace,
      withoutArea: current.withoutArea,
      lateReports: current.lateReports,
      lateReportHours: LATE_REPORT_HOURS,
      reclassifications: current.reclassifications,
      retractions: current.retractions,
    },
  };
}

/**
 * The answer for one municipality and period: live figures, and the publication in force (frozen
 * figures, agreed actions) or null. Absent documents count as empty, so a period with no events
 * answers zeros. `documents` holds what `situationPictureDocumentIds` names (missing ids: empty).
 */
export function situationPictureView(
  documents: Documents,
  municipalityId: string,
  periodStart: string,
  settings: Partial<SituationPictureSettings> = {},
): SituationPictureView {
  const figures = situationPictureFigures(documents, municipalityId, periodStart, settings);
  const published = documents.get(publicationsDocumentId(municipalityId, periodStart));
  const publications = published?.kind === 'publications' ? published.items : [];
  return {
    ...figures,
    published: publications.length > 0 ? publications[publications.length - 1] : null,
    publications: publications.map(({ publicationId, publishedAt, position, frozenAtPosition, corrects }) => ({
      publicationId,
      publishedAt,
      position,
      frozenAtPosition,
      corrects,
    })),
  };
}
