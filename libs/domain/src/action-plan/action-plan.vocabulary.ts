/** The three who must sign an action plan before it can be adopted (SPEC 1). */
export const SIGNATORY_ROLES = ['police-area-chief', 'board-chair', 'municipal-director'] as const;
export type SignatoryRole = (typeof SIGNATORY_ROLES)[number];

export const MEASURE_KINDS = [
  'neighbourhood-watch',
  'camera-surveillance',
  'guard-presence',
  'youth-strategy',
  'parent-walkers',
  'police-patrol',
  'safety-walk',
  'other',
] as const;
export type MeasureKind = (typeof MEASURE_KINDS)[number];

/** Who carries out a measure or an agreed action: one of the two parties, both, or a named partner. */
export const RESPONSIBLE_PARTIES = ['police', 'municipality', 'joint'] as const;
export type Responsible = (typeof RESPONSIBLE_PARTIES)[number] | { partner: string };

/** Why a `responsible` value is unusable, or undefined when it is fine. */
export function responsibleProblem(responsible: unknown): string | undefined {
  if (typeof responsible === 'string') {
    return (RESPONSIBLE_PARTIES as readonly string[]).includes(responsible) ? undefined : `must be one of ${RESPONSIBLE_PARTIES.join(', ')} or { partner }`;
  }
  const partner = (responsible as { partner?: unknown } | null)?.partner;
  return typeof partner === 'string' && partner.trim() !== '' ? undefined : 'partner must name the partner';
}
