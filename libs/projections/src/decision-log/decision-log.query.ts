import type { CursorKind, DocumentPage, PageCursor, ReadStore } from '@app/read-store';
import { type DecisionKind, type DecisionLogEntry, decisionLogProjection } from './decision-log.projection.js';

export interface DecisionLogFilter {
  municipalityId: string;
  kind?: DecisionKind;
  actionPlanId?: string;
}

/** The sort field of the log: log order. */
export const DECISION_LOG_SORT = { field: 'logPosition' } as const;

/** The decision log's cursors: its own (another query's are refused), after a log position. */
export const DECISION_LOG_CURSOR: CursorKind = { query: 'decision-log', sortValue: 'position' };

/** One page of a municipality's decisions, in log order. */
export function queryDecisionLog(
  store: ReadStore,
  filter: DecisionLogFilter,
  page: { after?: PageCursor; limit: number },
): Promise<DocumentPage<DecisionLogEntry>> {
  const where = Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined)) as Record<string, string>;
  return store.query<DecisionLogEntry & Record<string, unknown>>(decisionLogProjection.name, {
    where,
    orderBy: { field: DECISION_LOG_SORT.field, direction: 'asc' },
    after: page.after,
    limit: page.limit,
  });
}
