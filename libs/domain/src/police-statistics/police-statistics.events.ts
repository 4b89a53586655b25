import type { DomainEvent } from '../shared/domain-event.js';

/** Aggregate counts only: a Brå category and a number, never anything about a person. */
export interface BraCount {
  braCategory: string;
  count: number;
}

export type PoliceStatisticsImported = DomainEvent<
  'PoliceStatisticsImported',
  {
    importId: string;
    municipalityId: string;
    /** null: the whole municipality. */
    areaId: string | null;
    /** Dates, both days included. */
    periodStart: string;
    periodEnd: string;
    counts: BraCount[];
    source: string | null;
    /** The import whose figures these replace: the latest earlier one of the same stream, or null. */
    supersedes: string | null;
  }
>;

export type PoliceStatisticsEvent = PoliceStatisticsImported;

export interface PoliceStatisticsKey {
  municipalityId: string;
  areaId?: string | null;
  periodStart: string;
  periodEnd: string;
}

/**
 * One stream per municipality, area (or none, for the whole municipality) and period, so importing
 * the same period and area again lands in the same stream and supersedes what is there. '_' joins
 * the parts: ids are slugs or UUIDs and dates hold only '-', so the key reads back unambiguously,
 * and the category stays `policestatistics`.
 */
export const policeStatisticsStream = ({ municipalityId, areaId, periodStart, periodEnd }: PoliceStatisticsKey) =>
  `policestatistics-${[municipalityId, ...(areaId ? [areaId] : []), periodStart, periodEnd].join('_')}`;
