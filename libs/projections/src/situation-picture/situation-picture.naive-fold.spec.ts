import { describe, expect, it } from '@jest/globals';
import { addDays, type DomainEvent, type IncidentEvent, type IncidentRecorded, localDateOf, periodOf } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { project } from '../projection.js';
import { syntheticLog } from '../projector/synthetic-log.testing.js';
import { inLog } from './events.testing.js';
import { emptyTally, LATE_REPORT_HOURS, type PeriodDocument, type PublicationsDocument, type SituationPictureDocument, type Tally } from './situation-picture.documents.js';
import { situationPictureProjection } from './situation-picture.projection.js';
import { situationPictureFigures } from './situation-picture.query.js';

/**
 * A cross-check of the projection against the events folded the plain way: every incident's final
 * state, counted in the period of its local date, with nothing shared with the projection but the
 * query that turns tallies into a view.
 */

const anchor = '2021-01-04';
const timeZone = 'Europe/Stockholm';
const projection = situationPictureProjection({ anchor, timeZone });

const wallClock = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', hourCycle: 'h23' });
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
function cellOf(instant: string): number {
  const parts = Object.fromEntries(wallClock.formatToParts(new Date(instant)).map((part) => [part.type, part.value]));
  return WEEKDAYS.indexOf(parts.weekday) * 24 + Number(parts.hour);
}

/** Kept per UTC hour (the zone's offsets are whole hours), only to keep the spec fast. */
const byHour = new Map<string, { periodStart: string; cell: number }>();
function placed(instant: string): { periodStart: string; cell: number } {
  const hour = new Date(instant).toISOString().slice(0, 13);
  let found = byHour.get(hour);
  if (!found) {
    found = { periodStart: periodOf(instant, anchor, timeZone).periodStart, cell: cellOf(instant) };
    byHour.set(hour, found);
  }
  return found;
}

interface Incident {
  recorded: IncidentRecorded['data'];
  /** Worked out once, when recorded: `<municipalityId>:<periodStart>`, weekday × hour cell, late report. */
  periodKey: string;
  periodStart: string;
  cell: number;
  late: boolean;
  category: string;
  retracted: boolean;
}

/** Every incident event so far, folded per incident, and the corrections counted per period. */
class NaiveFold {
  readonly incidents = new Map<string, Incident>();
  readonly corrections = new Map<string, { reclassifications: number; retractions: number }>();

  apply(event: DomainEvent): void {
    const incident = event as IncidentEvent;
    switch (incident.type) {
      case 'IncidentRecorded': {
        const recorded = incident.data;
        const { periodStart, cell } = placed(recorded.occurredAt);
        this.incidents.set(recorded.incidentId, {
          recorded,
          periodKey: `${recorded.municipalityId}:${periodStart}`,
          periodStart,
          cell,
          late: Date.parse(recorded.reportedAt) - Date.parse(recorded.occurredAt) > LATE_REPORT_HOURS * 3_600_000,
          category: recorded.category,
          retracted: false,
        });
        return;
      }
      case 'IncidentReclassified':
      case 'IncidentRetracted': {
        const found = this.incidents.get(incident.data.incidentId)!;
        const counted = this.corrections.get(found.periodKey) ?? { reclassifications: 0, retractions: 0 };
        this.corrections.set(found.periodKey, counted);
        if (incident.type === 'IncidentReclassified') {
          found.category = incident.data.to;
          counted.reclassifications++;
        } else {
          found.retracted = true;
          counted.retractions++;
        }
        return;
      }
      default:
    }
  }

  /** A period document for every period that has had an incident, with the tally recounted from scratch. */
  periodDocuments(): Map<string, PeriodDocument> {
    const documents = new Map<string, PeriodDocument>();
    const add = (counts: Record<string, number>, key: string) => (counts[key] = (counts[key] ?? 0) + 1);
    for (const { recorded, periodKey, periodStart, cell, late, category, retracted } of this.incidents.values()) {
      let document = documents.get(periodKey);
      if (!document) {
        document = { kind: 'period', lastPosition: '0', municipalityId: recorded.municipalityId, periodStart, periodEnd: addDays(periodStart, 13), tally: emptyTally() };
        documents.set(periodKey, document);
      }
      if (retracted) continue;
      const tally: Tally = document.tally;
      tally.total++;
      add(tally.byCategory, category);
      if (recorded.areaId === null) tally.withoutArea++;
      else add(tally.byArea, recorded.areaId);
      if (recorded.placeId === null) tally.withoutPlace++;
      else add(tally.byPlace, recorded.placeId);
      add(tally.bySource, recorded.source);
      tally.weekdayHour[cell]++;
      if (late) tally.lateReports++;
    }
    for (const [key, { reclassifications, retractions }] of this.corrections) {
      documents.get(key)!.tally.reclassifications = reclassifications;
      documents.get(key)!.tally.retractions = retractions;
    }
    return documents;
  }
}

/** The projected documents with every period tally replaced by the naive one. */
function withNaiveTallies(projected: ReadonlyMap<string, SituationPictureDocument>, naive: NaiveFold): Map<string, SituationPictureDocument> {
  const documents = new Map<string, SituationPictureDocument>([...projected].filter(([, document]) => document.kind !== 'period'));
  for (const [key, document] of naive.periodDocuments()) documents.set(key, document);
  return documents;
}

describe('situation picture: the projection against a naive fold of the synthetic log', () => {
  const log: RecordedEvent[] = inLog([...syntheticLog(10_000, 11)].map(({ event }) => ({ type: event.type, data: event.data })));
  const municipalities = [...new Set(log.filter((event) => event.type === 'IncidentRecorded').map((event) => (event.data as IncidentRecorded['data']).municipalityId))];
  const periodStarts: string[] = [];
  for (let start = anchor; start < '2026-01-12'; start = addDays(start, 14)) periodStarts.push(start);

  it('shows the same live figures for every period of every municipality', () => {
    const naive = new NaiveFold();
    for (const event of log) naive.apply(event);
    expect([...naive.corrections.values()].some((c) => c.reclassifications > 0 && c.retractions > 0)).toBe(true);
    const projected = project(projection, log);
    const expected = withNaiveTallies(projected, naive);
    expect([...projected.keys()].filter((key) => projected.get(key)!.kind === 'period').sort()).toEqual([...naive.periodDocuments().keys()].sort());
    for (const municipalityId of municipalities) {
      for (const periodStart of periodStarts) {
        const settings = { anchor, timeZone };
        expect(situationPictureFigures(projected, municipalityId, periodStart, settings)).toEqual(situationPictureFigures(expected, municipalityId, periodStart, settings));
      }
    }
  });

  it('freezes at each publication the figures of the events before it, which later corrections do not move', () => {
    const naive = new NaiveFold();
    let documents = new Map<string, SituationPictureDocument>();
    let from = 0;
    const frozen = new Map<string, ReturnType<typeof situationPictureFigures>>();
    log.forEach((event, i) => {
      if (event.type !== 'SituationPicturePublished') {
        naive.apply(event);
        return;
      }
      documents = project(projection, log.slice(from, i), documents);
      from = i;
      const { publicationId, municipalityId, periodStart } = event.data as { publicationId: string; municipalityId: string; periodStart: string };
      frozen.set(publicationId, situationPictureFigures(withNaiveTallies(documents, naive), municipalityId, periodStart, { anchor, timeZone }));
    });
    expect(frozen.size).toBeGreaterThan(10);
    const projected = project(projection, log);
    const published = [...projected.values()].filter((document): document is PublicationsDocument => document.kind === 'publications').flatMap((document) => document.items);
    expect(published).toHaveLength(frozen.size);
    for (const { publicationId, publishedAt, position, frozenAtPosition, corrects, agreedActions, ...figures } of published) {
      expect(figures).toEqual(frozen.get(publicationId));
    }
  });

  it('uses a naive local time that agrees with the domain’s local date', () => {
    // 23:30 UTC on a Sunday in summer is 01:30 on Monday in Stockholm.
    expect(cellOf('2021-06-06T23:30:00Z')).toBe(1);
    expect(localDateOf(new Date('2021-06-06T23:30:00Z'), timeZone)).toBe('2021-06-07');
  });
});
