import {
  type ActionPlanAdopted,
  type ActionPlanDrafted,
  type ActionPlanSigned,
  type AreaDefined,
  type CorrectedIncident,
  type DomainEvent,
  type GoalAdded,
  type GuardPresenceReinforced,
  type GuardReinforcementEnded,
  INCIDENT_CATEGORY_IDS,
  INCIDENT_SOURCES,
  type IncidentCategory,
  type IncidentReclassified,
  type IncidentRecorded,
  type IncidentRetracted,
  type MeasureAdded,
  type MunicipalityRegistered,
  type PatrolVisitLogged,
  periodOf,
  type PlaceRegistered,
  type PoliceStatisticsImported,
  SIGNATORY_ROLES,
  type SituationPicturePublished,
  type SurveyResultsRecorded,
} from '@app/domain';
import type { EventMetadata, EventToAppend, ExpectedRevision } from '@app/event-store';

export interface SyntheticAppend {
  stream: string;
  expected: ExpectedRevision;
  event: EventToAppend;
}

/** Deterministic: the same seed gives the same log. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MUNICIPALITIES = ['danderyd', 'taby', 'vallentuna', 'vaxholm', 'osteraker'];
const AREAS_PER_MUNICIPALITY = 4;
const PLACES_PER_AREA = 3;
/** Weights: thefts and damage are common, robbery and vehicle fires rare. */
const CATEGORY_WEIGHTS: Record<IncidentCategory, number> = {
  'burglary-residential': 8,
  'theft-from-vehicle': 8,
  'vehicle-theft': 3,
  'bicycle-theft': 10,
  shoplifting: 9,
  'other-theft': 6,
  robbery: 1,
  assault: 3,
  'unlawful-threat': 2,
  vandalism: 12,
  graffiti: 9,
  'vehicle-fire': 1,
  drugs: 4,
  'public-disorder': 6,
  'youth-gathering': 5,
  'reckless-driving': 4,
  littering: 3,
  'broken-lighting': 2,
  other: 4,
};

/** An incident as it stands in the log so far: what its corrections carry. */
interface IncidentNow {
  id: string;
  municipalityId: string;
  facts: CorrectedIncident;
  retracted: boolean;
}

/**
 * When the incidents of a synthetic log occur, and which ones its corrections concern.
 * - `random`: each incident on any day of five years, whatever its place in the log, and a
 *   correction of any incident recorded before. The harder case for projections: a day's or
 *   period's documents are seldom in the CPU's caches, and a correction's entry was mostly
 *   committed long before.
 * - `time`: as a log is appended when incidents are reported: the five years pass with the log,
 *   each incident occurs up to three days before the log's "now", and a correction concerns one of
 *   the last 3,000 incidents.
 */
export type SyntheticLogOrder = 'random' | 'time';

/** Incidents a correction of a `time` log chooses from: the most recent. */
const RECENT_INCIDENTS = 3_000;
/** Days before the log's "now" that an incident of a `time` log occurs at most. */
const LATEST_OCCURRENCE_DAYS = 3;

/**
 * A realistic log for projection benchmarks and tests, in append order (positions 1… on a fresh
 * store): the registry first, then about 86% IncidentRecorded, 6% reclassifications, 3% retractions,
 * and the rest patrol visits, guard reinforcements, action plans (drafted, goals, measures, three
 * signatures, adopted), survey results, police statistics and published situation pictures.
 */
export function* syntheticLog(count: number, seed = 1, order: SyntheticLogOrder = 'random'): Generator<SyntheticAppend> {
  const rand = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)];
  const categoryTable = INCIDENT_CATEGORY_IDS.flatMap((category) => Array<IncidentCategory>(CATEGORY_WEIGHTS[category]).fill(category));
  let idCounter = 0;
  const uuid = () => {
    idCounter++;
    const hex = (n: number, width: number) => Math.floor(rand() * 16 ** width).toString(16).padStart(width, '0');
    return `${hex(0, 8)}-${hex(0, 4)}-4${hex(0, 3)}-8${hex(0, 3)}-${idCounter.toString(16).padStart(12, '0')}`;
  };
  const revisions = new Map<string, bigint>();
  let produced = 0;
  const day0 = Date.parse('2021-01-04T00:00:00Z');
  const days = 5 * 365;
  const instant = (day: number, minuteOfDay = Math.floor(rand() * 1440)) => new Date(day0 + day * 86_400_000 + minuteOfDay * 60_000).toISOString();
  const date = (day: number) => instant(day, 0).slice(0, 10);

  const append = (stream: string, event: DomainEvent, command: string, actor?: EventMetadata['actor']): SyntheticAppend => {
    const revision = revisions.get(stream);
    revisions.set(stream, revision === undefined ? 0n : revision + 1n);
    produced++;
    const commandId = uuid();
    return {
      stream,
      expected: revision === undefined ? 'no_stream' : revision,
      event: {
        id: uuid(),
        type: event.type,
        data: event.data,
        metadata: {
          actor: actor ?? { id: 'guard-company-7', role: 'security-guard', organisation: 'securitas' },
          command,
          commandId,
          issuedAt: instant(days, 600),
          correlationId: commandId,
          causationId: commandId,
        },
      },
    };
  };
  const coordinator = { id: 'anna.lind', role: 'safety-coordinator', organisation: 'municipality' };

  // The registry.
  const places: Array<{ municipalityId: string; areaId: string; placeId: string }> = [];
  const areas: Array<{ municipalityId: string; areaId: string }> = [];
  for (const municipalityId of MUNICIPALITIES) {
    if (produced >= count) return;
    yield append(`municipality-${municipalityId}`, { type: 'MunicipalityRegistered', data: { municipalityId, name: municipalityId, policeArea: 'Södra Roslagen' } } satisfies MunicipalityRegistered, 'RegisterMunicipality', coordinator);
    for (let a = 0; a < AREAS_PER_MUNICIPALITY; a++) {
      const areaId = `${municipalityId}-area-${a}`;
      areas.push({ municipalityId, areaId });
      if (produced >= count) return;
      yield append(`area-${areaId}`, { type: 'AreaDefined', data: { areaId, municipalityId, name: areaId, boundary: null } } satisfies AreaDefined, 'DefineArea', coordinator);
      for (let p = 0; p < PLACES_PER_AREA; p++) {
        const placeId = `${areaId}-place-${p}`;
        places.push({ municipalityId, areaId, placeId });
        if (produced >= count) return;
        const data: PlaceRegistered['data'] = { placeId, areaId, municipalityId, name: placeId, location: { lat: 59.4 + a / 100, lon: 18.03 + p / 100 }, radiusMeters: 250, kind: 'centre' };
        yield append(`place-${placeId}`, { type: 'PlaceRegistered', data } satisfies PlaceRegistered, 'RegisterPlace', coordinator);
      }
    }
  }

  const incidents: IncidentNow[] = [];
  // The day an incident occurs, and the incident a correction concerns (see SyntheticLogOrder).
  const occurrenceDay =
    order === 'random'
      ? () => Math.floor(rand() * days)
      : () => Math.max(0, Math.floor((produced / count) * days) - Math.floor(rand() * (LATEST_OCCURRENCE_DAYS + 1)));
  const correctable =
    order === 'random' ? () => pick(incidents) : () => incidents[incidents.length - 1 - Math.floor(rand() * Math.min(RECENT_INCIDENTS, incidents.length))];
  const openPlans: Array<{ id: string; municipalityId: string; step: number; contentRevision: number; goals: string[] }> = [];
  const reinforcements: Array<{ id: string; municipalityId: string; placeId: string; areaId: string }> = [];

  while (produced < count) {
    const r = rand();
    if (r < 0.86 || incidents.length < 10) {
      const place = pick(places);
      const where = rand();
      const id = uuid();
      const category = pick(categoryTable);
      const day = occurrenceDay();
      const occurredAt = instant(day);
      const data: IncidentRecorded['data'] = {
        incidentId: id,
        municipalityId: place.municipalityId,
        areaId: where < 0.95 ? place.areaId : null,
        placeId: where < 0.7 ? place.placeId : null,
        location: where < 0.7 ? null : { lat: 59.4 + rand() / 50, lon: 18.03 + rand() / 50 },
        occurredAt,
        // Up to 79 hours: about one in ten is a late report (more than 72 hours).
        reportedAt: new Date(Date.parse(occurredAt) + Math.floor(rand() * 80) * 3_600_000).toISOString(),
        category,
        source: pick(INCIDENT_SOURCES),
        reportedToPolice: rand() < 0.4,
        description: rand() < 0.5 ? 'Krossad glasruta vid entrén, två personer sprang mot tunnelbanan.' : null,
      };
      const { reportedAt, areaId, placeId, source } = data;
      incidents.push({ id, municipalityId: place.municipalityId, facts: { occurredAt, reportedAt, category, areaId, placeId, source }, retracted: false });
      yield append(`incident-${id}`, { type: 'IncidentRecorded', data } satisfies IncidentRecorded, 'RecordIncident');
    } else if (r < 0.92) {
      const incident = correctable();
      if (incident.retracted) continue;
      const from = incident.facts.category;
      let to = pick(categoryTable);
      if (to === from) to = to === 'vandalism' ? 'graffiti' : 'vandalism';
      const data: IncidentReclassified['data'] = { incidentId: incident.id, municipalityId: incident.municipalityId, from, to, reason: 'corrected after review', incident: { ...incident.facts } };
      incident.facts = { ...incident.facts, category: to };
      yield append(`incident-${incident.id}`, { type: 'IncidentReclassified', data } satisfies IncidentReclassified, 'ReclassifyIncident', coordinator);
    } else if (r < 0.95) {
      const incident = correctable();
      if (incident.retracted) continue;
      incident.retracted = true;
      const data: IncidentRetracted['data'] = { incidentId: incident.id, municipalityId: incident.municipalityId, reason: 'recorded-in-error', duplicateOf: null, note: null, incident: { ...incident.facts } };
      yield append(`incident-${incident.id}`, { type: 'IncidentRetracted', data } satisfies IncidentRetracted, 'RetractIncident', coordinator);
    } else if (r < 0.965) {
      const place = reinforcements.length > 0 && rand() < 0.7 ? pick(reinforcements) : { ...pick(places), id: null };
      const day = Math.floor(rand() * days);
      const arrivedAt = instant(day, 1200);
      const id = uuid();
      const data: PatrolVisitLogged['data'] = {
        visitId: id,
        municipalityId: place.municipalityId,
        areaId: place.areaId,
        placeId: place.placeId,
        arrivedAt,
        departedAt: new Date(Date.parse(arrivedAt) + 45 * 60_000).toISOString(),
        guards: 2,
        reinforcementId: place.id,
        observations: null,
      };
      yield append(`patrolvisit-${id}`, { type: 'PatrolVisitLogged', data } satisfies PatrolVisitLogged, 'LogPatrolVisit');
    } else if (r < 0.972) {
      if (reinforcements.length > 0 && rand() < 0.3) {
        const ended = reinforcements.splice(Math.floor(rand() * reinforcements.length), 1)[0];
        const data: GuardReinforcementEnded['data'] = { reinforcementId: ended.id, municipalityId: ended.municipalityId, endedOn: date(days - 30), reason: 'budget', measureId: null, actionPlanId: null };
        yield append(`guardreinforcement-${ended.id}`, { type: 'GuardReinforcementEnded', data } satisfies GuardReinforcementEnded, 'EndGuardReinforcement', coordinator);
        continue;
      }
      const place = pick(places);
      const id = uuid();
      const from = Math.floor(rand() * (days - 120));
      const data: GuardPresenceReinforced['data'] = {
        reinforcementId: id,
        municipalityId: place.municipalityId,
        placeIds: [place.placeId],
        from: date(from),
        to: date(from + 90),
        hoursPerWeek: 10 + Math.floor(rand() * 30),
        provider: 'Securitas',
        fundedBy: 'trygghetssatsning',
        measureId: null,
        actionPlanId: null,
      };
      reinforcements.push({ id, municipalityId: place.municipalityId, placeId: place.placeId, areaId: place.areaId });
      yield append(`guardreinforcement-${id}`, { type: 'GuardPresenceReinforced', data } satisfies GuardPresenceReinforced, 'ReinforceGuardPresence', coordinator);
    } else if (r < 0.99) {
      // Action plans, step by step: drafted, two goals, a measure, three signatures, adopted.
      if (openPlans.length === 0 || rand() < 0.1) {
        const id = uuid();
        const municipalityId = pick(MUNICIPALITIES);
        const year = 2021 + 2 * Math.floor(rand() * 2);
        openPlans.push({ id, municipalityId, step: 1, contentRevision: 0, goals: [] });
        const data: ActionPlanDrafted['data'] = { actionPlanId: id, municipalityId, title: `Handlingsplan ${year}–${year + 1}`, periodStart: `${year}-01-01`, periodEnd: `${year + 1}-12-31` };
        yield append(`actionplan-${id}`, { type: 'ActionPlanDrafted', data } satisfies ActionPlanDrafted, 'DraftActionPlan', coordinator);
        continue;
      }
      const index = Math.floor(rand() * openPlans.length);
      const plan = openPlans[index];
      const stream = `actionplan-${plan.id}`;
      const base = { actionPlanId: plan.id, municipalityId: plan.municipalityId };
      if (plan.step <= 2) {
        plan.step++;
        plan.contentRevision++;
        const goalId = uuid();
        plan.goals.push(goalId);
        const data: GoalAdded['data'] = {
          ...base,
          goalId,
          title: 'Färre bostadsinbrott',
          indicator: { kind: 'incident-count', categories: ['burglary-residential'], areaIds: null, placeIds: null },
          baseline: { value: 120, from: '2019-01-01', to: '2020-12-31' },
          target: { value: 90, by: '2022-12-31' },
          direction: 'decrease',
          contentRevision: plan.contentRevision,
          voidsSignatures: [],
        };
        yield append(stream, { type: 'GoalAdded', data } satisfies GoalAdded, 'AddGoal', coordinator);
      } else if (plan.step === 3) {
        plan.step++;
        plan.contentRevision++;
        const data: MeasureAdded['data'] = {
          ...base,
          measureId: uuid(),
          title: 'Grannsamverkan',
          kind: 'neighbourhood-watch',
          responsible: 'joint',
          goalIds: plan.goals,
          contentRevision: plan.contentRevision,
          voidsSignatures: [],
        };
        yield append(stream, { type: 'MeasureAdded', data } satisfies MeasureAdded, 'AddMeasure', coordinator);
      } else if (plan.step <= 6) {
        const role = SIGNATORY_ROLES[plan.step - 4];
        plan.step++;
        const data: ActionPlanSigned['data'] = { ...base, role, name: `Signatory ${role}`, signedAt: instant(days, 500), contentRevision: plan.contentRevision };
        yield append(stream, { type: 'ActionPlanSigned', data } satisfies ActionPlanSigned, 'SignActionPlan', { id: role, role, organisation: plan.municipalityId });
      } else {
        openPlans.splice(index, 1);
        const data: ActionPlanAdopted['data'] = { ...base, adoptedAt: instant(days, 700), contentRevision: plan.contentRevision };
        yield append(stream, { type: 'ActionPlanAdopted', data } satisfies ActionPlanAdopted, 'AdoptActionPlan', coordinator);
      }
    } else if (r < 0.994) {
      const area = pick(areas);
      const id = uuid();
      const data: SurveyResultsRecorded['data'] = {
        surveyId: id,
        municipalityId: area.municipalityId,
        areaId: rand() < 0.5 ? area.areaId : null,
        year: 2021 + Math.floor(rand() * 5),
        results: [{ indicator: 'Otrygg utomhus sent på kvällen', value: Math.round(rand() * 100) / 100, respondents: 200 + Math.floor(rand() * 800), kind: 'share' }],
      };
      yield append(`survey-${id}`, { type: 'SurveyResultsRecorded', data } satisfies SurveyResultsRecorded, 'RecordSurveyResults', coordinator);
    } else if (r < 0.997) {
      const municipalityId = pick(MUNICIPALITIES);
      const month = Math.floor(rand() * 60);
      const periodStart = `${2021 + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}-01`;
      const periodEnd = new Date(Date.UTC(2021 + Math.floor(month / 12), (month % 12) + 1, 0)).toISOString().slice(0, 10);
      const stream = `policestatistics-${municipalityId}_${periodStart}_${periodEnd}`;
      const data: PoliceStatisticsImported['data'] = {
        importId: uuid(),
        municipalityId,
        areaId: null,
        periodStart,
        periodEnd,
        counts: [
          { braCategory: 'Bostadsinbrott', count: Math.floor(rand() * 40) },
          { braCategory: 'Skadegörelse', count: Math.floor(rand() * 80) },
        ],
        source: 'Brå',
        supersedes: null,
      };
      if (revisions.has(stream)) continue;
      yield append(stream, { type: 'PoliceStatisticsImported', data } satisfies PoliceStatisticsImported, 'ImportPoliceStatistics', coordinator);
    } else {
      const municipalityId = pick(MUNICIPALITIES);
      const period = periodOf(date(Math.floor(rand() * (days - 14))));
      const stream = `situationpicture-${municipalityId}-${period.periodStart}`;
      const previous = revisions.has(stream);
      const data: SituationPicturePublished['data'] = {
        publicationId: uuid(),
        municipalityId,
        periodStart: period.periodStart,
        periodEnd: period.periodEnd,
        // Positions on a fresh store count from 1 in append order: this lands right after the last one.
        position: String(produced),
        publishedAt: instant(days, 540),
        agreedActions: [
          { title: 'Extra nattvandring vid centrum', responsible: 'municipality', dueDate: date(days) },
          { title: 'Riktad kontroll av mopedtrafik', responsible: 'police', dueDate: date(days) },
        ],
        corrects: null,
      };
      if (previous) continue;
      yield append(stream, { type: 'SituationPicturePublished', data } satisfies SituationPicturePublished, 'PublishSituationPicture', coordinator);
    }
  }
}

/**
 * Appends a synthetic log through the store's own append, many at a time (the SQLite adapter commits
 * each turn's appends as one group; arrival order, and so each stream's order, is kept).
 */
export async function appendSyntheticLog(
  store: { append: (stream: string, events: EventToAppend[], expected: ExpectedRevision) => Promise<unknown> },
  count: number,
  { seed = 1, order = 'random', inFlight = 2_000 }: { seed?: number; order?: SyntheticLogOrder; inFlight?: number } = {},
): Promise<void> {
  let pending: Array<Promise<unknown>> = [];
  for (const { stream, expected, event } of syntheticLog(count, seed, order)) {
    pending.push(store.append(stream, [event], expected));
    if (pending.length >= inFlight) {
      await Promise.all(pending);
      pending = [];
    }
  }
  await Promise.all(pending);
}
