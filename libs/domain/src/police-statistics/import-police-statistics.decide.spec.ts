import { describe, expect, it } from '@jest/globals';
import { given } from '../shared/decider.testing.js';
import type { AreaFacts, MunicipalityFacts } from '../registry/registry.state.js';
import { type ImportPoliceStatistics, importPoliceStatistics } from './import-police-statistics.decide.js';
import { type PoliceStatisticsImported, policeStatisticsStream } from './police-statistics.events.js';
import { policeStatistics } from './police-statistics.state.js';

const municipality: MunicipalityFacts = { status: 'registered', municipalityId: 'danderyd', name: 'Danderyd', policeArea: 'Södra Roslagen' };
const area: AreaFacts = { status: 'defined', areaId: 'djursholm', municipalityId: 'danderyd', name: 'Djursholm', boundary: null };
const command = (overrides: Partial<ImportPoliceStatistics> = {}): ImportPoliceStatistics => ({
  importId: 'imp-1',
  municipalityId: 'danderyd',
  areaId: 'djursholm',
  periodStart: '2024-01-01',
  periodEnd: '2024-03-31',
  counts: [
    { braCategory: 'Bostadsinbrott', count: 14 },
    { braCategory: 'Rån', count: 0 },
  ],
  source: 'Polisen, anmälda brott',
  municipality,
  area,
  now: new Date('2024-04-15T08:00:00Z'),
  ...overrides,
});
const imported = (importId = 'imp-1', supersedes: string | null = null, count = 14): PoliceStatisticsImported => ({
  type: 'PoliceStatisticsImported',
  data: {
    importId,
    municipalityId: 'danderyd',
    areaId: 'djursholm',
    periodStart: '2024-01-01',
    periodEnd: '2024-03-31',
    counts: [
      { braCategory: 'Bostadsinbrott', count },
      { braCategory: 'Rån', count: 0 },
    ],
    source: 'Polisen, anmälda brott',
    supersedes,
  },
});

describe('importPoliceStatistics', () => {
  it('imports aggregate counts of a period and area', () => {
    given(policeStatistics).when((s) => importPoliceStatistics(command(), s)).then([imported()]);
  });

  it('supersedes the latest earlier import of the same period and area, and says which', () => {
    const corrected = command({ importId: 'imp-3', counts: [{ braCategory: 'Bostadsinbrott', count: 16 }, { braCategory: 'Rån', count: 0 }] });
    given(policeStatistics, [imported('imp-1'), imported('imp-2', 'imp-1', 15)])
      .when((s) => importPoliceStatistics(corrected, s))
      .then([imported('imp-3', 'imp-2', 16)]);
  });

  it('keeps one stream per municipality, area and period', () => {
    expect(policeStatisticsStream(command())).toBe('policestatistics-danderyd_djursholm_2024-01-01_2024-03-31');
    expect(policeStatisticsStream(command({ areaId: undefined }))).toBe('policestatistics-danderyd_2024-01-01_2024-03-31');
  });

  it('refuses an import id that is already recorded', () => {
    given(policeStatistics, [imported('imp-1'), imported('imp-2', 'imp-1')])
      .when((s) => importPoliceStatistics(command(), s))
      .thenThrows('POLICE_STATISTICS.ALREADY_IMPORTED', { importId: 'imp-1' });
  });

  it('carries nothing but the aggregates', () => {
    const withPersonalData = command({ counts: [{ braCategory: 'Bostadsinbrott', count: 14, suspect: 'N.N.' } as never, { braCategory: 'Rån', count: 0 }] });
    given(policeStatistics).when((s) => importPoliceStatistics(withPersonalData, s)).then([imported()]);
  });

  it('names every bad field', () => {
    given(policeStatistics)
      .when((s) =>
        importPoliceStatistics(
          command({ periodEnd: '2023-12-31', counts: [{ braCategory: 'Rån', count: -1 }, { braCategory: 'Rån', count: 2.5 }] }),
          s,
        ),
      )
      .thenThrows('POLICE_STATISTICS.INVALID', {
        errors: [
          { field: 'periodEnd', message: 'must not be before periodStart' },
          { field: 'counts[0].count', message: 'must be a whole number ≥ 0' },
          { field: 'counts[1].braCategory', message: 'Rån is listed twice' },
          { field: 'counts[1].count', message: 'must be a whole number ≥ 0' },
        ],
      });
  });

  it('refuses a period that has not begun, and no counts', () => {
    given(policeStatistics)
      .when((s) => importPoliceStatistics(command({ periodStart: '2024-04-16', periodEnd: '2024-06-30', counts: [] }), s))
      .thenThrows('POLICE_STATISTICS.INVALID', {
        errors: [
          { field: 'periodStart', message: 'must not be in the future' },
          { field: 'counts', message: 'must hold at least one count' },
        ],
      });
  });

  it('refuses an unknown municipality, and an area of another one', () => {
    given(policeStatistics)
      .when((s) => importPoliceStatistics(command({ municipality: undefined }), s))
      .thenThrows('POLICE_STATISTICS.UNKNOWN_MUNICIPALITY', { field: 'municipalityId', value: 'danderyd' });
    given(policeStatistics)
      .when((s) => importPoliceStatistics(command({ area: undefined }), s))
      .thenThrows('POLICE_STATISTICS.UNKNOWN_AREA', { field: 'areaId', value: 'djursholm' });
  });
});
