import type { ReadStore, StoredDocument } from '@app/read-store';
import { type GoalProgressDocument, type GoalProgressSettings, type PlanDocument, planDocumentId } from './goal-progress.documents.js';
import { goalProgressDocumentIds, type GoalProgressView, goalProgressView } from './goal-progress.query.js';

const READ_MODEL = 'goal-progress';

export type GoalProgressAnswer =
  | { found: 'progress'; view: GoalProgressView }
  | { found: 'plan-not-adopted' }
  | { found: 'no-plan' };

/**
 * Reads a plan's progress from the read store, as `GET /action-plans/{id}/progress` answers it: the
 * plan document, then the day counts and surveys its goals' windows cover as of `now`.
 */
export async function readGoalProgress(store: ReadStore, actionPlanId: string, now: Date, settings: Partial<GoalProgressSettings>): Promise<GoalProgressAnswer> {
  const plan = await store.get<PlanDocument & StoredDocument>(READ_MODEL, planDocumentId(actionPlanId));
  if (!plan) return { found: 'no-plan' };
  const documents = await store.getMany<GoalProgressDocument & StoredDocument>(READ_MODEL, goalProgressDocumentIds(plan, now, settings));
  const view = goalProgressView(plan, documents, now, settings);
  return view ? { found: 'progress', view } : { found: 'plan-not-adopted' };
}
