/** Builders of recorded events for the projection specs: positions count up in the order given. */
import type {
  CorrectedIncident,
  DomainEvent,
  GuardPresenceReinforced,
  IncidentCategory,
  IncidentReclassified,
  IncidentRecorded,
  IncidentRetracted,
  PatrolVisitLogged,
  PoliceStatisticsImported,
  SituationPicturePublished,
} from '@app/domain';
import type { RecordedEvent } from '@app/event-store';

/** A domain event, optionally with the time the log recorded it. */
export type Logged = DomainEvent & { recordedAt?: string };

/**
 * Gives domain events log positions 1, 2, 3 … (or from `first`), as the store would, and a clock:
 * `recordedAt` where an event says it, else the latest time the log has seen so far (a report's
 * `reportedAt`, a publication's `publishedAt`, …), starting at 2020-01-01.
 */
export function inLog(events: readonly Logged[], first = 1n): RecordedEvent[] {
  let clock = Date.parse('2020-01-01T00:00:00.000Z');
  return events.map(({ recordedAt, ...event }, i) => {
    const data = event.data as Record<string, unknown>;
    const said = [recordedAt, data.reportedAt, data.publishedAt, data.departedAt, data.adoptedAt, data.signedAt].find((value) => typeof value === 'string');
    if (recordedAt !== undefined) clock = Date.parse(recordedAt);
    else if (typeof said === 'string' && Date.parse(said) > clock) clock = Date.parse(said);
    return {
      id: `event-${first + BigInt(i)}`,
      type: event.type,
      data: event.data,
      stream: 'test-stream',
      revision: 0n,
      position: first + BigInt(i),
      metadata: { actor: { id: 'tester', role: 'analyst', organisation: 'municipality' }, command: 'Test', correlationId: 'c', causationId: 'c' },
      recordedAt: new Date(clock),
    };
  });
}

let sequence = 0;

export const incident = (data: Partial<IncidentRecorded['data']> & { occurredAt: string }): IncidentRecorded => ({
  type: 'IncidentRecorded',
  data: {
    incidentId: `i-${++sequence}`,
    municipalityId: 'danderyd',
    areaId: 'centrala-danderyd',
    placeId: 'morby-centrum',
    location: null,
    reportedAt: data.occurredAt,
    category: 'vandalism',
    source: 'security-guards',
    reportedToPolice: false,
    description: null,
    ...data,
  },
});

/** What a correction carries of a recorded incident, in `category` (where it was reclassified since). */
export const asCorrected = (recorded: IncidentRecorded, category = recorded.data.category): CorrectedIncident => {
  const { occurredAt, reportedAt, areaId, placeId, source } = recorded.data;
  return { occurredAt, reportedAt, category, areaId, placeId, source };
};

/** A reclassification to `to`, from `from` (the recorded category unless reclassified since). */
export const reclassified = (recorded: IncidentRecorded, to: IncidentCategory, from: IncidentCategory = recorded.data.category): IncidentReclassified => ({
  type: 'IncidentReclassified',
  data: { incidentId: recorded.data.incidentId, municipalityId: recorded.data.municipalityId, from, to, reason: null, incident: asCorrected(recorded, from) },
});

/** A retraction of an incident in `category` (the recorded one unless reclassified since). */
export const retracted = (recorded: IncidentRecorded, category: IncidentCategory = recorded.data.category): IncidentRetracted => ({
  type: 'IncidentRetracted',
  data: { incidentId: recorded.data.incidentId, municipalityId: recorded.data.municipalityId, reason: 'recorded-in-error', duplicateOf: null, note: null, incident: asCorrected(recorded, category) },
});

export const reinforced = (data: Partial<GuardPresenceReinforced['data']> = {}): GuardPresenceReinforced => ({
  type: 'GuardPresenceReinforced',
  data: {
    reinforcementId: 'r-1',
    municipalityId: 'danderyd',
    placeIds: ['morby-centrum'],
    from: '2021-03-01',
    to: '2021-06-30',
    hoursPerWeek: 21,
    provider: 'Securitas',
    fundedBy: 'Trygghetssatsning 2021',
    measureId: null,
    actionPlanId: null,
    ...data,
  },
});

export const visit = (arrivedAt: string, departedAt: string, data: Partial<PatrolVisitLogged['data']> = {}): PatrolVisitLogged => ({
  type: 'PatrolVisitLogged',
  data: {
    visitId: `v-${++sequence}`,
    municipalityId: 'danderyd',
    areaId: 'centrala-danderyd',
    placeId: 'morby-centrum',
    arrivedAt,
    departedAt,
    guards: null,
    reinforcementId: 'r-1',
    observations: null,
    ...data,
  },
});

export const policeStatistics = (data: Partial<PoliceStatisticsImported['data']> = {}): PoliceStatisticsImported => ({
  type: 'PoliceStatisticsImported',
  data: {
    importId: `s-${++sequence}`,
    municipalityId: 'danderyd',
    areaId: null,
    periodStart: '2021-03-01',
    periodEnd: '2021-03-14',
    counts: [{ braCategory: 'Skadegörelse', count: 12 }],
    source: 'Polisen',
    supersedes: null,
    ...data,
  },
});

export const publication = (data: Partial<SituationPicturePublished['data']> & { periodStart: string }): SituationPicturePublished => ({
  type: 'SituationPicturePublished',
  data: {
    publicationId: `p-${++sequence}`,
    municipalityId: 'danderyd',
    periodEnd: '',
    position: '0',
    publishedAt: '2021-04-01T10:00:00.000Z',
    agreedActions: [{ title: 'Fler vandringar vid Mörby centrum', responsible: 'municipality', dueDate: '2021-04-15' }],
    corrects: null,
    ...data,
  },
});
