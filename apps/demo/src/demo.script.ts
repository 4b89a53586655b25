import type { Command } from '@nestjs/cqrs';
import {
  type Actor,
  AddGoalCommand,
  AddMeasureCommand,
  AdoptActionPlanCommand,
  type CommandEnvelope,
  type CommandResult,
  DefineAreaCommand,
  deterministicUuid,
  DraftActionPlanCommand,
  EndGuardReinforcementCommand,
  ImportPoliceStatisticsCommand,
  LogPatrolVisitCommand,
  PublishSituationPictureCommand,
  ReclassifyIncidentCommand,
  RecordIncidentCommand,
  RecordSurveyResultsCommand,
  RegisterMunicipalityCommand,
  RegisterPlaceCommand,
  ReinforceGuardPresenceCommand,
  RetractIncidentCommand,
  SignActionPlanCommand,
} from '@app/application';
import {
  addDays,
  type AgreedAction,
  type BraCount,
  DEFAULT_PERIOD_ANCHOR,
  INCIDENT_CATEGORIES,
  type IncidentCategory,
  type IncidentSource,
  isoWeekday,
  localDateOf,
  type MeasureKind,
  periodOf,
  type Responsible,
  type SignatoryRole,
  startOfDay,
} from '@app/domain';
import { AREAS, type AreaId, areaById, MUNICIPALITY, type PlaceId, PLACES, placeById } from './danderyd.geography.js';
import {
  BUS_TERMINAL_REINFORCEMENT,
  finalCategories,
  type GeneratedIncident,
  generateIncidentHistory,
  type IncidentHistory,
  MORBY_REINFORCEMENT_START,
  TIME_ZONE,
} from './incidents.generator.js';
import { Random } from './random.js';

/**
 * The demo's whole history as commands, each with the simulated time it is decided at (the
 * envelope's `now`): the registry, four years of incidents with their corrections, monthly police
 * statistics, the 2020 and 2022 safety surveys, the 2021–2022 action plan from draft to adoption,
 * the guard reinforcements with their patrol visits, and the biweekly publications with agreed
 * actions. Pure: the same options give the same commands.
 */

export interface DemoOptions {
  /** First and last day of the history (local dates); the plan, surveys and publications that fall inside it are included. */
  from: string;
  to: string;
  seed: number;
  /** Multiplies the incident rates (1: several thousand incidents over 2019–2022). */
  scale: number;
  /** SITUATION_PERIOD_ANCHOR: publications are of the periods it cuts. */
  periodAnchor: string;
}

export const DEFAULT_DEMO_OPTIONS: DemoOptions = { from: '2019-01-01', to: '2022-12-31', seed: 20190101, scale: 1, periodAnchor: DEFAULT_PERIOD_ANCHOR };

export const STEP_KINDS = [
  'municipality',
  'area',
  'place',
  'incident',
  'reclassification',
  'retraction',
  'police-statistics',
  'survey',
  'action-plan',
  'goal',
  'measure',
  'signature',
  'adoption',
  'guard-reinforcement',
  'reinforcement-end',
  'patrol-visit',
  'publication',
] as const;
export type StepKind = (typeof STEP_KINDS)[number];

export interface DemoStep {
  /** The simulated time the command is decided at. */
  at: Date;
  kind: StepKind;
  /**
   * True for commands that depend on nothing sent in the same batch (incidents, patrol visits): the
   * runner sends runs of them together. Every other command waits for all before it, and they for it.
   */
  concurrent: boolean;
  command: Command<CommandResult>;
}

export interface DemoScript {
  steps: DemoStep[];
  actionPlanId: string;
  /** The last published period, the one the summary shows; null when the range publishes none. */
  showcasePeriod: string | null;
  incidents: IncidentHistory;
}

const ACTORS = {
  coordinator: { id: 'anna.lind', role: 'safety-coordinator', organisation: 'danderyds-kommun' },
  policeAnalyst: { id: 'johan.berg', role: 'police-analyst', organisation: 'polisen-lpo-sodra-roslagen' },
  guardCompany: { id: 'nordisk-bevakning-rapport', role: 'guard-company', organisation: 'nordisk-bevakning' },
  publicTransport: { id: 'sl-trygghetscentral', role: 'reporter', organisation: 'region-stockholm-sl' },
  school: { id: 'skolexpeditionen', role: 'school-staff', organisation: 'danderyds-kommun-skolor' },
  housingCompany: { id: 'forvaltare-vendevagen', role: 'property-manager', organisation: 'bostadsbolaget-morby' },
  rescueService: { id: 'storstockholms-brandforsvar', role: 'reporter', organisation: 'storstockholms-brandforsvar' },
  neighbourhoodWatch: { id: 'grannsamverkan-danderyd', role: 'reporter', organisation: 'grannsamverkan-danderyd' },
  eService: { id: 'e-tjanst-tipsa-kommunen', role: 'e-service', organisation: 'danderyds-kommun' },
} satisfies Record<string, Actor>;

const REPORTER: Record<IncidentSource, Actor> = {
  police: ACTORS.policeAnalyst,
  municipality: ACTORS.coordinator,
  'security-guards': ACTORS.guardCompany,
  'public-order-guards': ACTORS.guardCompany,
  'housing-company': ACTORS.housingCompany,
  'rescue-service': ACTORS.rescueService,
  'public-transport': ACTORS.publicTransport,
  school: ACTORS.school,
  'neighbourhood-watch': ACTORS.neighbourhoodWatch,
  citizen: ACTORS.eService,
};

const SIGNATORIES: Record<SignatoryRole, string> = {
  'police-area-chief': 'Karin Strand, lokalpolisområdeschef Södra Roslagen',
  'board-chair': 'Per Wallin, kommunstyrelsens ordförande',
  'municipal-director': 'Eva Holm, kommundirektör',
};

const CATEGORY_LABELS: Record<IncidentCategory, string> = {
  'burglary-residential': 'bostadsinbrott',
  'theft-from-vehicle': 'stöld ur fordon',
  'vehicle-theft': 'fordonsstöld',
  'bicycle-theft': 'cykelstöld',
  shoplifting: 'butiksstöld',
  'other-theft': 'övrig stöld',
  robbery: 'rån',
  assault: 'misshandel',
  'unlawful-threat': 'olaga hot',
  vandalism: 'skadegörelse',
  graffiti: 'klotter',
  'vehicle-fire': 'bilbrand',
  drugs: 'narkotika',
  'public-disorder': 'ordningsstörning',
  'youth-gathering': 'ungdomssamling',
  'reckless-driving': 'vårdslös körning',
  littering: 'nedskräpning',
  'broken-lighting': 'trasig belysning',
  other: 'övrigt',
};

/** Categories counted by the goal for Mörby centrum: disorder and violence, what guards can prevent. */
const MORBY_GOAL_CATEGORIES: IncidentCategory[] = ['public-disorder', 'youth-gathering', 'assault', 'robbery', 'unlawful-threat', 'vandalism', 'drugs'];
const VEHICLE_CATEGORIES: IncidentCategory[] = ['theft-from-vehicle', 'vehicle-theft'];
/** The twelve months before the plan was drafted: the baseline of its count goals. */
const GOAL_BASELINE = { from: '2019-10-01', to: '2020-09-30' } as const;
const PLAN_PERIOD = { periodStart: '2021-01-01', periodEnd: '2022-12-31' } as const;

const id = (...parts: string[]) => deterministicUuid('samverkan-demo', ...parts);

/** The instant of a local wall-clock time in Stockholm (hour may pass 24: the night after). */
export function local(date: string, hour: number, minute = 0): Date {
  return new Date(startOfDay(date, TIME_ZONE).getTime() + (hour * 60 + minute) * 60_000);
}

class ScriptBuilder {
  readonly steps: DemoStep[] = [];
  private commands = 0;

  constructor(private readonly end: Date) {}

  envelope(at: Date, actor: Actor): CommandEnvelope {
    const commandId = id('command', String(this.commands++));
    return { commandId, now: at, actor, correlationId: commandId };
  }

  /** Adds the command unless it would be decided after the history ends. */
  add(at: Date, kind: StepKind, make: (envelope: CommandEnvelope) => Command<CommandResult>, actor: Actor, concurrent = false): void {
    if (at.getTime() > this.end.getTime()) return;
    this.steps.push({ at, kind, concurrent, command: make(this.envelope(at, actor)) });
  }
}

export function demoScript(options: Partial<DemoOptions> = {}): DemoScript {
  const o = { ...DEFAULT_DEMO_OPTIONS, ...options };
  const end = local(addDays(o.to, 1), 0);
  const b = new ScriptBuilder(end);
  const incidents = generateIncidentHistory({ from: o.from, to: o.to, seed: o.seed, scale: o.scale });
  const random = new Random(o.seed ^ 0x5eed);

  registry(b, local(addDays(o.from, -20), 9));
  incidentSteps(b, incidents);
  policeStatistics(b, incidents, o, random);
  surveys(b);
  const plan = actionPlan(b, incidents, o);
  guardPresence(b, plan.guardMeasureId, o, random);
  const showcasePeriod = publications(b, incidents, o);

  // Stable: steps of the same instant keep the order they were made in (a goal before its measure).
  b.steps.sort((x, y) => x.at.getTime() - y.at.getTime());
  return { steps: b.steps, actionPlanId: plan.actionPlanId, showcasePeriod, incidents };
}

function registry(b: ScriptBuilder, at: Date): void {
  const { coordinator } = ACTORS;
  b.add(at, 'municipality', (e) => new RegisterMunicipalityCommand({ ...MUNICIPALITY }, e), coordinator);
  for (const area of AREAS) {
    b.add(at, 'area', (e) => new DefineAreaCommand({ areaId: area.areaId, municipalityId: MUNICIPALITY.municipalityId, name: area.name, boundary: area.boundary }, e), coordinator);
  }
  for (const place of PLACES) {
    const { placeId, areaId, name, location, radiusMeters, kind } = place;
    b.add(at, 'place', (e) => new RegisterPlaceCommand({ placeId, areaId, name, location, radiusMeters, kind }, e), coordinator);
  }
}

function incidentSteps(b: ScriptBuilder, history: IncidentHistory): void {
  for (const incident of history.incidents) {
    const { incidentId, occurredAt, reportedAt, category, source, placeId, areaId, location, description } = incident;
    const payload = { incidentId, occurredAt, reportedAt, category, source, placeId, areaId, location, description };
    // Recorded when it was reported; a late report arrives after the period it belongs to.
    b.add(reportedAt, 'incident', (e) => new RecordIncidentCommand(payload, e), REPORTER[source], true);
  }
  for (const { incidentId, at, category, reason } of history.reclassifications) {
    b.add(at, 'reclassification', (e) => new ReclassifyIncidentCommand({ incidentId, category, reason }, e), ACTORS.policeAnalyst);
  }
  for (const { incidentId, at, reason, duplicateOf, note } of history.retractions) {
    b.add(at, 'retraction', (e) => new RetractIncidentCommand({ incidentId, reason, duplicateOf, note }, e), ACTORS.coordinator);
  }
}

/** Incidents as they finally stand (reclassified, retractions left out), with their local date. */
function netIncidents(history: IncidentHistory): { incident: GeneratedIncident; category: IncidentCategory; date: string }[] {
  const categories = finalCategories(history);
  return history.incidents.flatMap((incident) => {
    const category = categories.get(incident.incidentId);
    return category ? [{ incident, category, date: localDateOf(incident.occurredAt, TIME_ZONE) }] : [];
  });
}

/**
 * Monthly figures of reported crimes (Brå categories), imported in the middle of the next month.
 * The police register more than reaches the joint incident log, so the counts run higher. One month
 * is imported again with late registrations: the new import supersedes the first.
 */
function policeStatistics(b: ScriptBuilder, history: IncidentHistory, o: DemoOptions, random: Random): void {
  const byMonth = new Map<string, Map<string, number>>();
  for (const { category, date } of netIncidents(history)) {
    const bra = INCIDENT_CATEGORIES[category].bra;
    if (bra === null) continue;
    const month = byMonth.get(date.slice(0, 7)) ?? new Map<string, number>();
    month.set(bra, (month.get(bra) ?? 0) + 1);
    byMonth.set(date.slice(0, 7), month);
  }
  const source = 'Polisen, anmälda brott per månad (LPO Södra Roslagen)';
  for (const [month, counts] of [...byMonth].sort(([a], [b2]) => a.localeCompare(b2))) {
    const periodStart = `${month}-01`;
    const periodEnd = addDays(addDays(`${month}-28`, 7).slice(0, 7) + '-01', -1);
    if (periodStart < o.from || periodEnd > o.to) continue;
    const figures: BraCount[] = [...counts].map(([braCategory, n]) => ({ braCategory, count: Math.round(n * 1.3) + random.int(0, 2) }));
    const importedOn = addDays(periodEnd, 15);
    const importId = id('police-statistics', month);
    const payload = { importId, municipalityId: MUNICIPALITY.municipalityId, periodStart, periodEnd, counts: figures, source };
    b.add(local(importedOn, 8, 30), 'police-statistics', (e) => new ImportPoliceStatisticsCommand(payload, e), ACTORS.policeAnalyst);
    if (month === '2021-12') {
      const revised = figures.map((c) => ({ ...c, count: c.count + random.int(0, 3) }));
      const again = { ...payload, importId: id('police-statistics', month, 'revised'), counts: revised, source: `${source}, reviderad` };
      b.add(local(addDays(importedOn, 31), 8, 30), 'police-statistics', (e) => new ImportPoliceStatisticsCommand(again, e), ACTORS.policeAnalyst);
    }
  }
}

interface SurveyFigures {
  respondents: number;
  feelsSafeOwnArea: number;
  feelsSafeMorbyCentrumEvening: number;
  worriedAboutBurglary: number;
  avoidsPlacesEvening: number;
  confidenceInPolice: number;
}

const SURVEY_2020: SurveyFigures = {
  respondents: 1184,
  feelsSafeOwnArea: 0.78,
  feelsSafeMorbyCentrumEvening: 0.58,
  worriedAboutBurglary: 0.41,
  avoidsPlacesEvening: 0.19,
  confidenceInPolice: 3.6,
};
const SURVEY_2022: SurveyFigures = {
  respondents: 1152,
  feelsSafeOwnArea: 0.8,
  feelsSafeMorbyCentrumEvening: 0.66,
  worriedAboutBurglary: 0.36,
  avoidsPlacesEvening: 0.16,
  confidenceInPolice: 3.7,
};
/** Feeling safe in one's own district in the evening, by district, 2020 and 2022. */
const SURVEY_AREAS: Record<AreaId, readonly [number, number, number]> = {
  'centrala-danderyd': [0.71, 0.75, 402],
  djursholm: [0.84, 0.85, 331],
  enebyberg: [0.8, 0.81, 228],
  stocksund: [0.81, 0.82, 223],
};
export const SURVEY_INDICATOR_MORBY = 'feels-safe-morby-centrum-evening';

/** The police and municipality's safety survey (trygghetsmätning), fielded in autumn 2020 and again in 2022. */
function surveys(b: ScriptBuilder): void {
  for (const [year, figures, recordedOn, index] of [[2020, SURVEY_2020, '2020-11-13', 0], [2022, SURVEY_2022, '2022-11-18', 1]] as const) {
    const n = figures.respondents;
    const results = [
      { indicator: 'feels-safe-own-area-evening', value: figures.feelsSafeOwnArea, respondents: n },
      { indicator: SURVEY_INDICATOR_MORBY, value: figures.feelsSafeMorbyCentrumEvening, respondents: Math.round(n * 0.93) },
      { indicator: 'worried-about-burglary', value: figures.worriedAboutBurglary, respondents: n },
      { indicator: 'avoids-places-evening', value: figures.avoidsPlacesEvening, respondents: n },
      { indicator: 'confidence-in-police', value: figures.confidenceInPolice, respondents: Math.round(n * 0.97), kind: 'mean' as const },
    ];
    const at = local(recordedOn, 14);
    const surveyId = `trygghetsmatning-${year}`;
    b.add(at, 'survey', (e) => new RecordSurveyResultsCommand({ surveyId, municipalityId: MUNICIPALITY.municipalityId, year, results }, e), ACTORS.coordinator);
    for (const area of AREAS) {
      const [value2020, value2022, respondents] = SURVEY_AREAS[area.areaId];
      const value = index === 0 ? value2020 : value2022;
      const payload = {
        surveyId: `${surveyId}-${area.areaId}`,
        municipalityId: MUNICIPALITY.municipalityId,
        areaId: area.areaId,
        year,
        results: [{ indicator: 'feels-safe-own-area-evening', value, respondents }],
      };
      b.add(at, 'survey', (e) => new RecordSurveyResultsCommand(payload, e), ACTORS.coordinator);
    }
  }
}

/** Incidents matching a count goal over its baseline window, as the coordinator counted them from the log. */
function baselineCount(history: IncidentHistory, categories: IncidentCategory[], where: { placeIds?: PlaceId[]; areaIds?: AreaId[] }): number {
  return netIncidents(history).filter(({ incident, category, date }) => {
    if (date < GOAL_BASELINE.from || date > GOAL_BASELINE.to || !categories.includes(category)) return false;
    if (!where.placeIds && !where.areaIds) return true;
    return (incident.atPlace !== null && !!where.placeIds?.includes(incident.atPlace)) || !!where.areaIds?.includes(incident.inArea);
  }).length;
}

/** A decrease of `share` from the baseline, at least one fewer. */
const reduced = (baseline: number, share: number) => Math.max(0, Math.min(baseline - 1, Math.round(baseline * (1 - share))));

/**
 * The action plan for 2021–2022: drafted in November 2020 on the twelve months before, with goals,
 * measures, a first signature voided by a late measure, then all three signatures and adoption.
 */
function actionPlan(b: ScriptBuilder, history: IncidentHistory, o: DemoOptions): { actionPlanId: string; guardMeasureId: string } {
  const actionPlanId = id('action-plan', '2021-2022');
  const actor = ACTORS.coordinator;
  const at = (date: string, hour = 10) => local(date, hour);
  b.add(
    at('2020-11-09'),
    'action-plan',
    (e) => new DraftActionPlanCommand({ actionPlanId, municipalityId: MUNICIPALITY.municipalityId, title: 'Handlingsplan för trygghet och brottsförebyggande arbete 2021–2022', ...PLAN_PERIOD }, e),
    actor,
  );

  const goal = (key: string) => id('goal', key);
  const morby = baselineCount(history, MORBY_GOAL_CATEGORIES, { placeIds: ['morby-centrum'] });
  const burglaries = baselineCount(history, ['burglary-residential'], {});
  const vehicles = baselineCount(history, VEHICLE_CATEGORIES, { areaIds: ['djursholm', 'enebyberg'] });
  if (o.to >= '2020-11-16' && Math.min(morby, burglaries, vehicles) === 0) {
    throw new RangeError(`the history must cover the goals' baseline (${GOAL_BASELINE.from} to ${GOAL_BASELINE.to}) with incidents to count; start it earlier or scale it up`);
  }
  const goals = [
    {
      goalId: goal('morby'),
      title: 'Färre ordningsstörningar och våldsbrott vid Mörby centrum (−25 %)',
      indicator: { kind: 'incident-count' as const, categories: MORBY_GOAL_CATEGORIES, placeIds: ['morby-centrum'] },
      baseline: { value: morby, ...GOAL_BASELINE },
      target: { value: reduced(morby, 0.25), by: PLAN_PERIOD.periodEnd },
    },
    {
      goalId: goal('burglary'),
      title: 'Färre bostadsinbrott i hela kommunen (−20 %)',
      indicator: { kind: 'incident-count' as const, categories: ['burglary-residential'] },
      baseline: { value: burglaries, ...GOAL_BASELINE },
      target: { value: reduced(burglaries, 0.2), by: PLAN_PERIOD.periodEnd },
    },
    {
      goalId: goal('vehicles'),
      title: 'Färre stölder av och ur fordon i Djursholm och Enebyberg (−15 %)',
      indicator: { kind: 'incident-count' as const, categories: VEHICLE_CATEGORIES, areaIds: ['djursholm', 'enebyberg'] },
      baseline: { value: vehicles, ...GOAL_BASELINE },
      target: { value: reduced(vehicles, 0.15), by: PLAN_PERIOD.periodEnd },
    },
    {
      goalId: goal('survey-morby'),
      title: 'Fler känner sig trygga vid Mörby centrum på kvällen (trygghetsmätningen)',
      indicator: { kind: 'survey' as const, indicator: SURVEY_INDICATOR_MORBY },
      baseline: { value: SURVEY_2020.feelsSafeMorbyCentrumEvening, from: '2020-09-01', to: '2020-10-16' },
      target: { value: 0.68, by: PLAN_PERIOD.periodEnd },
    },
  ];
  goals.forEach((g, i) => b.add(at('2020-11-16', 10 + i), 'goal', (e) => new AddGoalCommand({ actionPlanId, ...g }, e), actor));

  const measure = (key: string) => id('measure', key);
  const measures: { measureId: string; title: string; kind: MeasureKind; responsible: Responsible; goalIds: string[] }[] = [
    {
      measureId: measure('guards'),
      title: 'Förstärkt väktarnärvaro vid Mörby centrum och kollektivtrafiknoderna',
      kind: 'guard-presence',
      responsible: 'municipality',
      goalIds: [goal('morby'), goal('survey-morby')],
    },
    { measureId: measure('neighbourhood-watch'), title: 'Grannsamverkan i alla villaområden, med volontärbilar', kind: 'neighbourhood-watch', responsible: 'joint', goalIds: [goal('burglary')] },
    {
      measureId: measure('cameras'),
      title: 'Kameraövervakning vid Mörby centrum tunnelbanestation och Danderyds sjukhus bussterminal',
      kind: 'camera-surveillance',
      responsible: { partner: 'Region Stockholm, trafikförvaltningen' },
      goalIds: [goal('morby')],
    },
    {
      measureId: measure('parent-walkers'),
      title: 'Föräldravandringar fredag och lördag kväll',
      kind: 'parent-walkers',
      responsible: { partner: 'Föräldravandrarna i Danderyd' },
      goalIds: [goal('morby'), goal('survey-morby')],
    },
    { measureId: measure('youth'), title: 'Strategi för barn och unga: fältassistenter och öppen fritidsgård', kind: 'youth-strategy', responsible: 'municipality', goalIds: [goal('morby')] },
  ];
  measures.forEach((m, i) => b.add(at('2020-11-23', 10 + i), 'measure', (e) => new AddMeasureCommand({ actionPlanId, ...m }, e), actor));

  const sign = (date: string, role: SignatoryRole) =>
    b.add(at(date, 15), 'signature', (e) => new SignActionPlanCommand({ actionPlanId, role, name: SIGNATORIES[role] }, e), actor);
  sign('2020-12-03', 'police-area-chief');
  // Added after the police chief signed: the signature is voided and must be given again.
  const late = {
    measureId: measure('commuter-parking'),
    title: 'Riktad polisnärvaro vid pendelparkeringarna nattetid',
    kind: 'police-patrol' as const,
    responsible: 'police' as const,
    goalIds: [goal('vehicles')],
  };
  b.add(at('2020-12-10'), 'measure', (e) => new AddMeasureCommand({ actionPlanId, ...late }, e), actor);
  sign('2021-01-12', 'police-area-chief');
  sign('2021-01-18', 'board-chair');
  sign('2021-01-19', 'municipal-director');
  b.add(at('2021-01-25', 18), 'adoption', (e) => new AdoptActionPlanCommand({ actionPlanId }, e), actor);
  return { actionPlanId, guardMeasureId: measure('guards') };
}

/** Hours of the evening shift at Mörby centrum by ISO weekday (1 = Monday): start, end (24+ is after midnight). */
const MORBY_SHIFTS: Record<number, readonly [number, number]> = { 1: [17, 22], 2: [17, 22], 3: [17, 22], 4: [17, 23], 5: [16, 25], 6: [16, 25], 7: [16, 21] };
const BUS_TERMINAL_SHIFTS: Record<number, readonly [number, number]> = { 5: [18, 26], 6: [18, 26], 7: [18, 22] };
const OBSERVATIONS = ['Lugnt', 'Grupp ungdomar vid entrén, samtal förde', 'Avvisade berusad person', 'Kontakt med butikspersonal', 'Stöldlarm i butik, polis tillkallad'];

/**
 * The safety investment: reinforced guard presence at Mörby centrum from spring 2021 (42 hours a
 * week, evenings), and a summer reinforcement at the bus terminal in 2022 that ended early. The
 * guards log one visit per shift; a few shifts are missed.
 */
function guardPresence(b: ScriptBuilder, measureId: string, o: DemoOptions, random: Random): void {
  const actor = ACTORS.coordinator;
  const morby = id('guard-reinforcement', 'morby-centrum');
  const morbyPlan = { from: MORBY_REINFORCEMENT_START, to: PLAN_PERIOD.periodEnd };
  const fundedBy = 'Trygghetssatsning 2021–2022 (kommunstyrelsen)';
  b.add(
    local('2021-03-22', 13),
    'guard-reinforcement',
    (e) => new ReinforceGuardPresenceCommand({ reinforcementId: morby, placeIds: ['morby-centrum'], ...morbyPlan, hoursPerWeek: 42, provider: 'Nordisk Bevakning AB', fundedBy, measureId }, e),
    actor,
  );
  const terminal = id('guard-reinforcement', 'bussterminal-2022');
  const { from, to, endedOn } = BUS_TERMINAL_REINFORCEMENT;
  b.add(
    local('2022-05-30', 13),
    'guard-reinforcement',
    (e) =>
      new ReinforceGuardPresenceCommand({ reinforcementId: terminal, placeIds: ['danderyds-sjukhus-bussterminal'], from, to, hoursPerWeek: 20, provider: 'Nordisk Bevakning AB', fundedBy, measureId }, e),
    actor,
  );
  b.add(local('2022-08-10', 11), 'reinforcement-end', (e) => new EndGuardReinforcementCommand({ reinforcementId: terminal, endedOn, reason: 'Sommarinsatsens budget förbrukad' }, e), actor);

  const visits = (reinforcementId: string, placeId: PlaceId, first: string, last: string, shifts: Record<number, readonly [number, number]>) => {
    for (let date = first; date <= last && date <= o.to; date = addDays(date, 1)) {
      const shift = shifts[isoWeekday(date)];
      if (!shift || random.chance(0.05)) continue;
      const arrivedAt = local(date, shift[0], random.int(0, 10));
      const departedAt = local(date, shift[1], -random.int(0, 15));
      const payload = {
        visitId: id('patrol-visit', reinforcementId, date),
        placeId,
        arrivedAt,
        departedAt,
        guards: isoWeekday(date) >= 5 ? 3 : 2,
        reinforcementId,
        ...(random.chance(0.3) && { observations: random.pick(OBSERVATIONS) }),
      };
      b.add(new Date(departedAt.getTime() + 20 * 60_000), 'patrol-visit', (e) => new LogPatrolVisitCommand(payload, e), ACTORS.guardCompany, true);
    }
  };
  visits(morby, 'morby-centrum', morbyPlan.from, morbyPlan.to, MORBY_SHIFTS);
  visits(terminal, 'danderyds-sjukhus-bussterminal', from, endedOn, BUS_TERMINAL_SHIFTS);
}

/**
 * The biweekly pictures from the first period of 2021, published at the meeting on the Wednesday
 * after each period (no meetings in July), with the actions the group agreed on from what the
 * period showed. One publication is corrected a week later.
 */
function publications(b: ScriptBuilder, history: IncidentHistory, o: DemoOptions): string | null {
  const net = netIncidents(history);
  let showcase: string | null = null;
  let period = periodOf('2021-01-04', o.periodAnchor, TIME_ZONE);
  for (; period.periodEnd <= o.to; period = periodOf(addDays(period.periodEnd, 1), o.periodAnchor, TIME_ZONE)) {
    if (period.periodStart.slice(5, 7) === '07') continue;
    const meeting = addDays(period.periodEnd, 3);
    const at = local(meeting, 9, 30);
    if (at.getTime() > local(addDays(o.to, 1), 0).getTime() || period.periodStart < o.from) continue;
    const inPeriod = net.filter(({ date, incident }) => date >= period.periodStart && date <= period.periodEnd && incident.reportedAt < at);
    const agreedActions = agreedActionsFor(inPeriod, meeting);
    const publicationId = id('publication', period.periodStart);
    const { periodStart } = period;
    const municipalityId = MUNICIPALITY.municipalityId;
    b.add(at, 'publication', (e) => new PublishSituationPictureCommand({ publicationId, municipalityId, periodStart, agreedActions }, e), ACTORS.coordinator);
    showcase = periodStart;
    if (periodStart === '2022-10-10') {
      const correction = [...agreedActions, { title: 'Komplettering: sent inrapporterade inbrott läggs till i uppföljningen', responsible: 'police' as const, dueDate: addDays(meeting, 14) }];
      const payload = { publicationId: id('publication', periodStart, 'correction'), municipalityId, periodStart, agreedActions: correction, corrects: publicationId };
      b.add(local(addDays(meeting, 7), 9, 30), 'publication', (e) => new PublishSituationPictureCommand(payload, e), ACTORS.coordinator);
    }
  }
  return showcase;
}

function agreedActionsFor(incidents: { incident: GeneratedIncident; category: IncidentCategory; date: string }[], meeting: string): AgreedAction[] {
  const actions: AgreedAction[] = [];
  const count = <K extends string>(keys: K[]) => {
    const counts = new Map<K, number>();
    for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
    return [...counts].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]));
  };
  const [topPlace] = count(incidents.flatMap(({ incident }) => (incident.atPlace ? [incident.atPlace] : [])));
  if (topPlace && topPlace[1] >= 4) {
    const [[topCategory]] = count(incidents.filter(({ incident }) => incident.atPlace === topPlace[0]).map(({ category }) => category));
    const name = placeById(topPlace[0]).name;
    actions.push({ title: `Riktad närvaro vid ${name} (${topPlace[1]} händelser, mest ${CATEGORY_LABELS[topCategory]})`, responsible: 'joint', dueDate: addDays(meeting, 14) });
  }
  const weekendEvenings = incidents.filter(
    ({ incident, category, date }) => incident.atPlace === 'morby-centrum' && (category === 'youth-gathering' || category === 'public-disorder') && isoWeekday(date) >= 5,
  );
  if (weekendEvenings.length >= 4) {
    actions.push({ title: 'Föräldravandring fredag och lördag kväll vid Mörby centrum', responsible: { partner: 'Föräldravandrarna i Danderyd' }, dueDate: addDays(meeting, 10) });
  }
  const [topBurglaryArea] = count(incidents.filter(({ category }) => category === 'burglary-residential').map(({ incident }) => incident.inArea));
  if (topBurglaryArea && topBurglaryArea[1] >= 3) {
    actions.push({
      title: `Inbrottsvarning via Grannsamverkan i ${areaById(topBurglaryArea[0]).name} (${topBurglaryArea[1]} inbrott)`,
      responsible: { partner: 'Grannsamverkan i Danderyd' },
      dueDate: addDays(meeting, 7),
    });
  }
  if (incidents.filter(({ category }) => category === 'broken-lighting').length >= 2) {
    actions.push({ title: 'Åtgärda gatubelysning som felanmälts under perioden', responsible: 'municipality', dueDate: addDays(meeting, 21) });
  }
  if (actions.length === 0) actions.push({ title: 'Fortsatt uppföljning enligt handlingsplanen', responsible: 'joint', dueDate: addDays(meeting, 14) });
  return actions.slice(0, 3);
}
