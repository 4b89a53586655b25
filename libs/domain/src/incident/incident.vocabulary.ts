/**
 * Incident categories: two levels (group → category), each mapped to the Brå reporting category it
 * is counted under where one exists (null for disturbances that are not crimes).
 */
export const INCIDENT_CATEGORIES = {
  'burglary-residential': { group: 'theft', bra: 'Bostadsinbrott' },
  'theft-from-vehicle': { group: 'theft', bra: 'Stöld ur eller från motordrivet fordon' },
  'vehicle-theft': { group: 'theft', bra: 'Stöld av motordrivet fordon' },
  'bicycle-theft': { group: 'theft', bra: 'Cykelstöld' },
  shoplifting: { group: 'theft', bra: 'Butiksstöld' },
  'other-theft': { group: 'theft', bra: 'Övriga stöldbrott' },
  robbery: { group: 'violence', bra: 'Rån' },
  assault: { group: 'violence', bra: 'Misshandel' },
  'unlawful-threat': { group: 'violence', bra: 'Olaga hot' },
  vandalism: { group: 'damage', bra: 'Skadegörelse' },
  graffiti: { group: 'damage', bra: 'Klotter' },
  'vehicle-fire': { group: 'damage', bra: 'Skadegörelse genom brand' },
  drugs: { group: 'drugs', bra: 'Narkotikabrott' },
  'public-disorder': { group: 'disorder', bra: 'Brott mot allmän ordning' },
  'youth-gathering': { group: 'disorder', bra: null },
  'reckless-driving': { group: 'disorder', bra: 'Trafikbrott' },
  littering: { group: 'environment', bra: null },
  'broken-lighting': { group: 'environment', bra: null },
  other: { group: 'other', bra: null },
} as const satisfies Record<string, { group: string; bra: string | null }>;

export type IncidentCategory = keyof typeof INCIDENT_CATEGORIES;
export const INCIDENT_CATEGORY_IDS = Object.keys(INCIDENT_CATEGORIES) as IncidentCategory[];

export const INCIDENT_SOURCES = [
  'police',
  'municipality',
  'security-guards',
  'public-order-guards',
  'housing-company',
  'rescue-service',
  'public-transport',
  'school',
  'neighbourhood-watch',
  'citizen',
] as const;
export type IncidentSource = (typeof INCIDENT_SOURCES)[number];

export const RETRACTION_REASONS = ['duplicate', 'recorded-in-error', 'not-an-incident', 'withdrawn-by-reporter'] as const;
export type RetractionReason = (typeof RETRACTION_REASONS)[number];
