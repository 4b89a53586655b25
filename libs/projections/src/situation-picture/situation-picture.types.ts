import type { AgreedAction, BraCount, IncidentSource } from '@app/domain';

/** What `GET /situation-pictures/{municipality}/{periodStart}` answers (SPEC 7), and its parts. */

/** Another period (or the mean of several) beside this one. */
export interface Comparison {
  periodStart: string;
  periodEnd: string;
  total: number;
  byCategory: Record<string, number>;
  byArea: Record<string, number>;
  byPlace: Record<string, number>;
  /** This period's total minus that one's. */
  change: number;
  /** `change` as a percentage of that total, one decimal; null when that total is 0. */
  changePercent: number | null;
}

/** The mean of the previous 12 periods (figures rounded to 2 decimals); from P−12's start to P−1's end. */
export interface BaselineComparison extends Comparison {
  periods: number;
  /** How many of them have a document at all (a period before the first event has none and counts as 0). */
  periodsWithData: number;
}

export type HotspotKind = 'new' | 'emerging' | 'persistent';

export interface Hotspot {
  kind: HotspotKind;
  level: 'place' | 'area';
  id: string;
  /** Incidents this period. */
  count: number;
  /** Incidents in each of the 6 previous periods, the latest first. */
  previous: number[];
  /** The rule that made it one, with the figures that met it. */
  rule: string;
}

export interface SourceReport {
  source: IncidentSource;
  count: number;
  /** Reports in each of the 6 previous periods, the latest first. */
  previous: number[];
  /** Of those 6, the periods with at least one report. */
  periodsReporting: number;
  silent: boolean;
  warning: string | null;
}

export interface ReinforcementReport {
  reinforcementId: string;
  placeIds: string[];
  provider: string | null;
  fundedBy: string | null;
  measureId: string | null;
  actionPlanId: string | null;
  from: string | null;
  to: string | null;
  endedOn: string | null;
  hoursPerWeek: number | null;
  /** Days of the period on which it runs (ended early honoured). */
  daysInPeriod: number;
  /** hoursPerWeek × daysInPeriod / 7, 2 decimals. */
  plannedHours: number;
  /** Presence logged by patrol visits that arrived in the period and name the reinforcement. */
  loggedHours: number;
  loggedGuardHours: number;
  visits: number;
}

export interface PoliceStatisticsReport {
  importId: string;
  areaId: string | null;
  periodStart: string;
  periodEnd: string;
  source: string | null;
  counts: BraCount[];
  total: number;
}

export interface DataQuality {
  incidents: number;
  withoutPlace: number;
  withoutArea: number;
  lateReports: number;
  lateReportHours: number;
  reclassifications: number;
  retractions: number;
}

/** The figures of a period, live or frozen at a publication. */
export interface SituationPictureFigures {
  municipalityId: string;
  periodStart: string;
  periodEnd: string;
  total: number;
  byCategory: Record<string, number>;
  byArea: Record<string, number>;
  byPlace: Record<string, number>;
  previous: Comparison;
  lastYear: Comparison;
  baseline: BaselineComparison;
  hotspots: Hotspot[];
  /** 7 rows (Monday first) of 24 hours, local time. */
  weekdayHour: number[][];
  sources: SourceReport[];
  reinforcements: ReinforcementReport[];
  policeStatistics: PoliceStatisticsReport[];
  dataQuality: DataQuality;
}

export interface PublicationFields {
  publicationId: string;
  publishedAt: string;
  /** The log position the publication names. */
  position: string;
  /**
   * The position of the publication event, where the figures were taken: at or after `position`
   * (an event appended between the command's read and its own append is included).
   */
  frozenAtPosition: string;
  corrects: string | null;
  agreedActions: AgreedAction[];
}

export type PublishedPicture = SituationPictureFigures & PublicationFields;

export interface SituationPictureView extends SituationPictureFigures {
  /** The publication in force, with its frozen figures; null before the first. */
  published: PublishedPicture | null;
  /** Every publication of the period, oldest first (a correction follows what it corrects). */
  publications: Omit<PublicationFields, 'agreedActions'>[];
}
