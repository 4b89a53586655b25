import type { CursorKind, DocumentPage, PageCursor, ReadStore } from '@app/read-store';
import { type IncidentRegisterEntry, incidentRegisterProjection } from './incident-register.projection.js';

export interface IncidentRegisterFilter {
  municipalityId: string;
  /** Occurred at or after this instant (ISO, UTC). */
  from?: string;
  /** Occurred before this instant (ISO, UTC). */
  to?: string;
  category?: string;
  areaId?: string;
  placeId?: string;
  source?: string;
  status?: 'recorded' | 'retracted';
}

/** The sort field of the register: newest first, then by id. */
export const INCIDENT_REGISTER_SORT = { field: 'occurredAt' } as const;

/** The register's cursors: its own (another query's are refused), after an occurredAt as the register stores it. */
export const INCIDENT_REGISTER_CURSOR: CursorKind = { query: 'incident-register', sortValue: 'utc-instant' };

/** One page of the incident register, newest first. */
export function queryIncidentRegister(
  store: ReadStore,
  filter: IncidentRegisterFilter,
  page: { after?: PageCursor; limit: number },
): Promise<DocumentPage<IncidentRegisterEntry>> {
  const { from, to, ...equal } = filter;
  const where = Object.fromEntries(Object.entries(equal).filter(([, value]) => value !== undefined)) as Record<string, string>;
  return store.query<IncidentRegisterEntry & Record<string, unknown>>(incidentRegisterProjection.name, {
    where,
    range: from !== undefined || to !== undefined ? { field: 'occurredAt', gte: from, lt: to } : undefined,
    orderBy: { field: INCIDENT_REGISTER_SORT.field, direction: 'desc' },
    after: page.after,
    limit: page.limit,
  });
}
