import {
  addDays,
  boundaryContains,
  type IncidentCategory,
  type IncidentSource,
  isoWeekday,
  type Point,
  type RetractionReason,
  startOfDay,
} from '@app/domain';
import { deterministicUuid } from '@app/application';
import { type AreaId, areaById, type PlaceId, placeById } from './danderyd.geography.js';
import { Random } from './random.js';

/**
 * Several thousand incidents with the patterns a coordinator knows: youth gatherings and disorder
 * on summer evenings, burglaries and vehicle crime in the dark half of the year, Friday and Saturday
 * nights at Mörby centrum and the transport hubs, shoplifting in December; reports from the police,
 * the guards, SL, schools, the housing company and citizens; late reports, reclassifications,
 * retractions and duplicates. The guard reinforcement at Mörby centrum from spring 2021 lowers
 * what happens there (and pushes a little to Vendevägen and the bus terminal).
 */

export const TIME_ZONE = 'Europe/Stockholm';
/** The reinforced guard presence at Mörby centrum starts on this Monday. */
export const MORBY_REINFORCEMENT_START = '2021-04-12';
/** A summer reinforcement at the bus terminal, ended early. */
export const BUS_TERMINAL_REINFORCEMENT = { from: '2022-06-13', to: '2022-08-28', endedOn: '2022-08-14' } as const;
/** The housing company stops reporting for a while (a change of property manager): silent, not quiet. */
const HOUSING_COMPANY_SILENT = { from: '2022-03-07', to: '2022-05-01' } as const;

export interface GeneratedIncident {
  incidentId: string;
  occurredAt: Date;
  reportedAt: Date;
  category: IncidentCategory;
  source: IncidentSource;
  /** What is sent: a place, an area, or a bare point that the store resolves to its district. */
  placeId?: PlaceId;
  areaId?: AreaId;
  location?: Point;
  description?: string;
  /** Where it lands, for the demo's own figures (baselines, agreed actions, police statistics). */
  inArea: AreaId;
  atPlace: PlaceId | null;
  /** Set when this record duplicates an earlier one (another organisation reported the same thing). */
  duplicateOf?: string;
}

export interface Reclassification {
  incidentId: string;
  at: Date;
  category: IncidentCategory;
  reason: string;
}

export interface Retraction {
  incidentId: string;
  at: Date;
  reason: RetractionReason;
  duplicateOf?: string;
  note: string;
}

export interface IncidentHistory {
  incidents: GeneratedIncident[];
  reclassifications: Reclassification[];
  retractions: Retraction[];
}

type Weights<K extends string> = Partial<Record<K, number>>;
/** January … December. */
type MonthProfile = readonly number[];
/** Monday … Sunday. */
type WeekdayProfile = readonly number[];
/** [hour after the local midnight that starts the day (24+ is the night after), weight]. */
type HourProfile = readonly (readonly [number, number])[];

const SUMMER: MonthProfile = [0.45, 0.45, 0.6, 0.8, 1.15, 1.55, 1.7, 1.55, 1.05, 0.8, 0.6, 0.55];
const DARK: MonthProfile = [1.45, 1.25, 1.0, 0.75, 0.55, 0.45, 0.55, 0.7, 0.95, 1.3, 1.55, 1.6];
const DECEMBER_SHOPPING: MonthProfile = [0.95, 0.85, 0.9, 0.9, 0.95, 1.0, 0.85, 0.9, 1.0, 1.0, 1.15, 1.6];
const FLAT_MONTHS: MonthProfile = Array(12).fill(1);

const NIGHTLIFE: WeekdayProfile = [0.6, 0.6, 0.7, 0.9, 1.75, 2.0, 0.95];
const WORKDAYS: WeekdayProfile = [1.15, 1.15, 1.1, 1.1, 1.1, 0.75, 0.65];
const SHOPPING_DAYS: WeekdayProfile = [0.85, 0.85, 0.9, 1.0, 1.15, 1.35, 0.9];
const FLAT_WEEK: WeekdayProfile = Array(7).fill(1);

const EVENING: HourProfile = [[15, 1], [16, 2], [17, 3], [18, 5], [19, 7], [20, 9], [21, 10], [22, 9], [23, 7], [24, 5], [25, 3], [26, 2], [27, 1]];
const NIGHT: HourProfile = [[21, 1], [22, 2], [23, 3], [24, 5], [25, 6], [26, 6], [27, 5], [28, 3], [29, 2]];
const SHOP_HOURS: HourProfile = [[10, 4], [11, 5], [12, 6], [13, 6], [14, 6], [15, 7], [16, 8], [17, 8], [18, 6], [19, 4], [20, 2]];
const BURGLARY_HOURS: HourProfile = [[9, 2], [10, 4], [11, 5], [12, 5], [13, 5], [14, 4], [15, 3], [16, 3], [17, 5], [18, 6], [19, 6], [20, 5], [21, 3], [22, 2]];
const DAYTIME: HourProfile = [[7, 2], [8, 4], [9, 4], [10, 4], [11, 4], [12, 4], [13, 4], [14, 4], [15, 5], [16, 5], [17, 4], [18, 3], [19, 2], [20, 1]];
const SCHOOL_HOURS: HourProfile = [[8, 3], [9, 3], [10, 3], [11, 4], [12, 5], [13, 4], [14, 3], [15, 3], [16, 2], [18, 2], [20, 3], [22, 3], [23, 2]];

interface Scenario {
  name: string;
  /** Expected incidents per day before the seasonal, weekday and trend factors. */
  rate: number;
  months: MonthProfile;
  weekdays: WeekdayProfile;
  hours: HourProfile;
  places?: Weights<PlaceId>;
  /** Incidents without a place: half are sent with the area, half as a bare point in it. */
  areas?: Weights<AreaId>;
  categories: Weights<IncidentCategory>;
  sources: Weights<IncidentSource>;
  /** A factor on the rate for a day (trends, the pandemic spring, the reinforcement). */
  factor?: (date: string, place: PlaceId | null) => number;
  /** Share reported more than 72 h late, and how late (days). */
  late?: { share: number; days: readonly [number, number] };
}

const year = (date: string) => Number(date.slice(0, 4));
const between = (date: string, from: string, to: string) => date >= from && date <= to;
const daysSince = (date: string, from: string) => (Date.parse(date) - Date.parse(from)) / 86_400_000;

/** 0 before the reinforcement, then up to 1 over its first three weeks. */
function reinforcementRamp(date: string): number {
  const days = daysSince(date, MORBY_REINFORCEMENT_START);
  return days < 0 ? 0 : Math.min(1, days / 21);
}

const pandemicSpring = (date: string) => between(date, '2020-03-16', '2020-06-30');

/** Holidays when the schools report nothing (sportlov, påsklov, summer, autumn and Christmas breaks, roughly). */
function schoolBreak(date: string): boolean {
  const md = date.slice(5);
  return (md >= '06-12' && md <= '08-18') || md >= '12-21' || md <= '01-08' || (md >= '02-24' && md <= '03-01') || (md >= '10-30' && md <= '11-04');
}

const BURGLARY_TREND: Record<number, number> = { 2019: 1, 2020: 0.9, 2021: 0.8, 2022: 0.72 };
/** Catalytic converters became worth stealing in 2021–2022. */
const VEHICLE_CRIME_TREND: Record<number, number> = { 2019: 1, 2020: 1.05, 2021: 1.15, 2022: 1.3 };

const SCENARIOS: readonly Scenario[] = [
  {
    name: 'evenings at Mörby centrum',
    rate: 0.5,
    months: SUMMER,
    weekdays: NIGHTLIFE,
    hours: EVENING,
    places: { 'morby-centrum': 1 },
    categories: { 'youth-gathering': 0.34, 'public-disorder': 0.28, vandalism: 0.12, assault: 0.08, 'unlawful-threat': 0.07, drugs: 0.07, robbery: 0.04 },
    sources: { 'security-guards': 0.45, police: 0.35, citizen: 0.1, municipality: 0.1 },
    factor: (date) => (pandemicSpring(date) ? 1.25 : 1) * (1 - 0.45 * reinforcementRamp(date)),
  },
  {
    name: 'evenings at the transport hubs',
    rate: 0.42,
    months: SUMMER,
    weekdays: NIGHTLIFE,
    hours: EVENING,
    places: { 'morby-centrum-t': 0.35, 'danderyds-sjukhus-bussterminal': 0.4, 'danderyds-sjukhus-t': 0.25 },
    categories: { 'youth-gathering': 0.22, 'public-disorder': 0.3, vandalism: 0.14, graffiti: 0.12, assault: 0.1, robbery: 0.06, drugs: 0.06 },
    sources: { 'public-transport': 0.5, police: 0.3, 'public-order-guards': 0.08, citizen: 0.12 },
    factor: (date, place) => {
      const displaced = 1 + 0.12 * reinforcementRamp(date);
      const summerGuards = place === 'danderyds-sjukhus-bussterminal' && between(date, BUS_TERMINAL_REINFORCEMENT.from, BUS_TERMINAL_REINFORCEMENT.endedOn) ? 0.65 : 1;
      return displaced * summerGuards;
    },
  },
  {
    name: 'shops at Mörby centrum',
    rate: 0.62,
    months: DECEMBER_SHOPPING,
    weekdays: SHOPPING_DAYS,
    hours: SHOP_HOURS,
    places: { 'morby-centrum': 1 },
    categories: { shoplifting: 0.76, 'other-theft': 0.2, robbery: 0.04 },
    sources: { 'security-guards': 0.5, police: 0.5 },
    factor: (date) => (pandemicSpring(date) ? 0.7 : 1) * (1 - 0.15 * reinforcementRamp(date)),
  },
  {
    name: 'burglaries in the villa areas',
    rate: 0.5,
    months: DARK,
    weekdays: WORKDAYS,
    hours: BURGLARY_HOURS,
    areas: { djursholm: 0.4, enebyberg: 0.2, stocksund: 0.2, 'centrala-danderyd': 0.2 },
    categories: { 'burglary-residential': 1 },
    sources: { police: 0.75, 'neighbourhood-watch': 0.25 },
    // Fewer burglaries year by year (neighbourhood watch, fewer empty homes in the pandemic spring).
    factor: (date) => (BURGLARY_TREND[year(date)] ?? 1) * (pandemicSpring(date) ? 0.8 : 1),
    late: { share: 0.12, days: [4, 21] },
  },
  {
    name: 'vehicle crime at night',
    rate: 0.46,
    months: DARK,
    weekdays: FLAT_WEEK,
    hours: NIGHT,
    places: { 'morby-station': 0.15, 'djursholms-osby': 0.15, 'enebybergs-station': 0.1 },
    areas: { djursholm: 0.2, enebyberg: 0.15, 'centrala-danderyd': 0.15, stocksund: 0.1 },
    categories: { 'theft-from-vehicle': 0.64, 'vehicle-theft': 0.3, 'vehicle-fire': 0.06 },
    sources: { police: 0.88, citizen: 0.12 },
    factor: (date) => VEHICLE_CRIME_TREND[year(date)] ?? 1,
    late: { share: 0.03, days: [4, 8] },
  },
  {
    name: 'bicycle thefts at the stations',
    rate: 0.32,
    months: SUMMER,
    weekdays: WORKDAYS,
    hours: DAYTIME,
    places: {
      'morby-centrum-t': 0.2,
      'danderyds-sjukhus-t': 0.15,
      'morby-station': 0.15,
      'djursholms-osby': 0.15,
      'enebybergs-station': 0.15,
      'stocksunds-station': 0.1,
      'danderyds-gymnasium': 0.1,
    },
    categories: { 'bicycle-theft': 1 },
    sources: { police: 0.75, 'public-transport': 0.1, citizen: 0.15 },
    late: { share: 0.08, days: [4, 10] },
  },
  {
    name: 'schools',
    rate: 0.24,
    months: [1, 1, 1, 1, 1.1, 0.9, 1, 0.9, 1.1, 1.1, 1, 0.9],
    weekdays: WORKDAYS,
    hours: SCHOOL_HOURS,
    places: { 'danderyds-gymnasium': 0.5, 'djursholms-samskola': 0.3, 'enebybergs-skola': 0.2 },
    categories: { vandalism: 0.4, graffiti: 0.28, 'other-theft': 0.15, 'unlawful-threat': 0.1, drugs: 0.07 },
    sources: { school: 0.78, municipality: 0.12, police: 0.1 },
    // Out of term the schools are closed and report nothing; what little happens, the municipality sees.
    factor: (date) => (schoolBreak(date) ? 0.15 : 1),
  },
  {
    name: 'parks and squares in summer',
    rate: 0.26,
    months: [0.2, 0.2, 0.35, 0.7, 1.3, 2.0, 2.3, 2.0, 1.1, 0.6, 0.3, 0.25],
    weekdays: NIGHTLIFE,
    hours: EVENING,
    places: { ekebysjon: 0.4, 'kevinge-strand': 0.35, 'stocksunds-torg': 0.25 },
    categories: { littering: 0.32, 'youth-gathering': 0.26, vandalism: 0.18, 'public-disorder': 0.12, drugs: 0.08, other: 0.04 },
    sources: { municipality: 0.5, citizen: 0.3, police: 0.2 },
    factor: (date) => (pandemicSpring(date) ? 1.3 : 1),
  },
  {
    name: 'Vendevägen',
    rate: 0.24,
    months: SUMMER.map((m) => (m + 1) / 2),
    weekdays: NIGHTLIFE,
    hours: EVENING,
    places: { vendevagen: 1 },
    categories: { vandalism: 0.3, 'reckless-driving': 0.22, 'public-disorder': 0.2, graffiti: 0.1, other: 0.18 },
    sources: { 'housing-company': 0.5, citizen: 0.25, police: 0.25 },
    factor: (date) => 1 + 0.15 * reinforcementRamp(date),
  },
  {
    name: 'streets and lighting',
    rate: 0.2,
    months: DARK,
    weekdays: FLAT_WEEK,
    hours: EVENING,
    areas: { 'centrala-danderyd': 0.3, djursholm: 0.3, enebyberg: 0.2, stocksund: 0.2 },
    categories: { 'broken-lighting': 0.6, 'reckless-driving': 0.2, littering: 0.1, other: 0.1 },
    sources: { municipality: 0.55, citizen: 0.35, police: 0.1 },
  },
  {
    name: 'Danderyds sjukhus',
    rate: 0.14,
    months: FLAT_MONTHS,
    weekdays: FLAT_WEEK,
    hours: DAYTIME,
    places: { 'danderyds-sjukhus': 1 },
    categories: { 'other-theft': 0.5, 'unlawful-threat': 0.25, vandalism: 0.15, other: 0.1 },
    sources: { police: 0.6, 'security-guards': 0.4 },
  },
];

const DESCRIPTIONS: Partial<Record<IncidentCategory, readonly string[]>> = {
  'youth-gathering': ['Större grupp ungdomar, högljudda', 'Ungdomar samlas vid entrén', 'Grupp om 15–20 ungdomar, musik och skrik'],
  'public-disorder': ['Bråk mellan berusade personer', 'Stök och störande beteende', 'Fyrverkerier mot folk'],
  vandalism: ['Krossad glasruta', 'Sönderslagen papperskorg', 'Skadad cykelparkering'],
  graffiti: ['Klotter på vägg', 'Tags i trappuppgången', 'Klotter på väntkur'],
  shoplifting: ['Butiksstöld, gärningsperson avviken', 'Snattning av livsmedel', 'Stöld av kosmetika'],
  'burglary-residential': ['Inbrott i villa, altandörr uppbruten', 'Inbrott under dagtid, smycken stulna', 'Försök till inbrott, fönster skadat'],
  'theft-from-vehicle': ['Katalysator stulen', 'Katalysator bortsågad', 'Inbrott i bil, verktyg stulna', 'Ruta krossad, väska stulen'],
  'vehicle-theft': ['Bil stulen från uppfart', 'Moped stulen'],
  'vehicle-fire': ['Brand i personbil nattetid'],
  'bicycle-theft': ['Låst cykel stulen vid stationen', 'Elcykel stulen'],
  'broken-lighting': ['Gatubelysning ur funktion', 'Mörk gångväg, flera lampor trasiga'],
  littering: ['Nedskräpning efter fest', 'Glas och burkar på badplatsen'],
  'reckless-driving': ['Mopeder i hög fart', 'Buskörning med A-traktorer'],
  drugs: ['Misstänkt narkotikaförsäljning', 'Lukt av cannabis, ungdomar'],
};

function hourFrom(profile: HourProfile, random: Random): number {
  return profile[random.weightedIndex(profile.map(([, w]) => w))][0];
}

/** A point in the area, drawn until it falls inside the boundary. */
function pointIn(areaId: AreaId, random: Random): Point {
  const ring = areaById(areaId).boundary.coordinates[0];
  const lons = ring.map((p) => p[0]);
  const lats = ring.map((p) => p[1]);
  for (;;) {
    const point = {
      lat: Number(random.between(Math.min(...lats), Math.max(...lats)).toFixed(5)),
      lon: Number(random.between(Math.min(...lons), Math.max(...lons)).toFixed(5)),
    };
    if (boundaryContains(areaById(areaId).boundary, point)) return point;
  }
}

function reportDelayMs(scenario: Scenario, source: IncidentSource, random: Random): number {
  if (scenario.late && random.chance(scenario.late.share)) return random.between(scenario.late.days[0], scenario.late.days[1]) * 86_400_000;
  if (random.chance(0.02)) return random.between(3.5, 8) * 86_400_000;
  // Guards and SL report at once; the police within hours; the rest by the next day.
  const hours = source === 'security-guards' || source === 'public-transport' ? random.between(0.1, 1) : source === 'police' ? random.between(0.2, 6) : random.between(1, 30);
  return hours * 3_600_000;
}

const RECLASSIFY: Partial<Record<IncidentCategory, IncidentCategory>> = {
  'youth-gathering': 'public-disorder',
  'public-disorder': 'assault',
  other: 'vandalism',
  'other-theft': 'shoplifting',
  vandalism: 'graffiti',
  'unlawful-threat': 'assault',
};

export interface IncidentHistoryOptions {
  /** First and last day (local dates) on which incidents occur. */
  from: string;
  to: string;
  seed: number;
  /** Multiplies every rate: 1 for the demo, less for a quick test. */
  scale: number;
}

/** The whole incident history, in the order the incidents occurred. Pure: the same options give the same history. */
export function generateIncidentHistory({ from, to, seed, scale }: IncidentHistoryOptions): IncidentHistory {
  const random = new Random(seed);
  const history: IncidentHistory = { incidents: [], reclassifications: [], retractions: [] };
  let sequence = 0;
  const nextId = () => deterministicUuid('samverkan-demo', 'incident', String(seed), String(sequence++));

  for (let date = from; date <= to; date = addDays(date, 1)) {
    const month = Number(date.slice(5, 7)) - 1;
    const weekday = isoWeekday(date) - 1;
    const midnight = startOfDay(date, TIME_ZONE).getTime();
    for (const scenario of SCENARIOS) {
      const base = scenario.rate * scale * scenario.months[month] * scenario.weekdays[weekday];
      // Places and areas share the scenario's rate by their weights; each draws its own count.
      const targets: [PlaceId | null, AreaId | null, number][] = [
        ...Object.entries(scenario.places ?? {}).map(([p, w]) => [p as PlaceId, null, w as number] as [PlaceId, null, number]),
        ...Object.entries(scenario.areas ?? {}).map(([a, w]) => [null, a as AreaId, w as number] as [null, AreaId, number]),
      ];
      const weightSum = targets.reduce((sum, [, , w]) => sum + w, 0);
      for (const [placeId, areaId, weight] of targets) {
        const mean = (base * weight * (scenario.factor?.(date, placeId) ?? 1)) / weightSum;
        for (let n = random.poisson(mean); n > 0; n--) {
          const category = random.weighted(scenario.categories);
          const source: IncidentSource = category === 'vehicle-fire' ? 'rescue-service' : random.weighted(scenario.sources);
          if (source === 'housing-company' && between(date, HOUSING_COMPANY_SILENT.from, HOUSING_COMPANY_SILENT.to)) continue;
          const occurredAt = new Date(midnight + hourFrom(scenario.hours, random) * 3_600_000 + random.int(0, 59) * 60_000);
          const reportedAt = new Date(occurredAt.getTime() + Math.round(reportDelayMs(scenario, source, random) / 60_000) * 60_000);
          const texts = DESCRIPTIONS[category];
          const incident: GeneratedIncident = {
            incidentId: nextId(),
            occurredAt,
            reportedAt,
            category,
            source,
            inArea: placeId ? placeById(placeId).areaId : areaId!,
            atPlace: placeId,
            ...(texts && random.chance(0.6) && { description: random.pick(texts) }),
          };
          if (placeId) incident.placeId = placeId;
          else if (random.chance(0.5)) incident.areaId = areaId!;
          else incident.location = pointIn(areaId!, random);
          history.incidents.push(incident);
          amend(incident, history, random, nextId);
        }
      }
    }
  }
  history.incidents.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  return history;
}

/** The corrections a real register gets: a duplicate from a second organisation, a reclassification, a retraction. */
function amend(incident: GeneratedIncident, history: IncidentHistory, random: Random, nextId: () => string): void {
  const reported = incident.reportedAt.getTime();
  const hubs: (PlaceId | null)[] = ['morby-centrum', 'morby-centrum-t', 'danderyds-sjukhus-bussterminal'];
  if (incident.source === 'police' && hubs.includes(incident.atPlace) && random.chance(0.04)) {
    const duplicate: GeneratedIncident = {
      ...incident,
      incidentId: nextId(),
      source: incident.atPlace === 'morby-centrum' ? 'security-guards' : 'public-transport',
      reportedAt: new Date(reported + random.int(1, 6) * 3_600_000),
      duplicateOf: incident.incidentId,
    };
    history.incidents.push(duplicate);
    history.retractions.push({
      incidentId: duplicate.incidentId,
      at: new Date(duplicate.reportedAt.getTime() + random.between(1, 3) * 86_400_000),
      reason: 'duplicate',
      duplicateOf: incident.incidentId,
      note: 'Samma händelse rapporterad av polisen',
    });
    return;
  }
  const draw = random.next();
  const reclassified = RECLASSIFY[incident.category];
  if (draw < 0.015 && reclassified) {
    history.reclassifications.push({
      incidentId: incident.incidentId,
      at: new Date(reported + random.between(1, 6) * 86_400_000),
      category: reclassified,
      reason: 'Ändrad rubricering efter uppföljning',
    });
  } else if (draw < 0.025) {
    const reason = random.weighted<Exclude<RetractionReason, 'duplicate'>>({ 'recorded-in-error': 0.5, 'withdrawn-by-reporter': 0.3, 'not-an-incident': 0.2 });
    const notes = { 'recorded-in-error': 'Felregistrerad, fel plats', 'withdrawn-by-reporter': 'Anmälaren har återkallat', 'not-an-incident': 'Ingen händelse vid kontroll' };
    history.retractions.push({ incidentId: incident.incidentId, at: new Date(reported + random.between(0.5, 3) * 86_400_000), reason, note: notes[reason] });
  }
}

/** Each incident as it stands once its corrections are in: its final category, or null when retracted. */
export function finalCategories(history: IncidentHistory): Map<string, IncidentCategory | null> {
  const categories = new Map<string, IncidentCategory | null>(history.incidents.map((i) => [i.incidentId, i.category]));
  for (const r of history.reclassifications) categories.set(r.incidentId, r.category);
  for (const r of history.retractions) categories.set(r.incidentId, null);
  return categories;
}
