export * from './projection.js';
export * from './one-document.js';
export * from './all-projections.js';
export * from './incident-register/incident-register.projection.js';
export * from './incident-register/incident-register.query.js';
export * from './decision-log/decision-log.projection.js';
export * from './decision-log/decision-log.query.js';
export * from './guard-reinforcements/guard-reinforcements.projection.js';
export * from './guard-reinforcements/guard-reinforcements.query.js';
export * from './projector/projection-status.js';
export * from './projector/projection-metrics.js';
export * from './projector/projection-runner.js';
export * from './projector/projector.js';
export * from './projector/projector-threads.js';
export * from './projector/stored-projection-monitor.js';
export * from './projector/projector.module.js';
export { situationPictureProjection } from './situation-picture/situation-picture.projection.js';
export {
  BASELINE_PERIODS,
  HOTSPOT_RULES,
  LAST_YEAR_PERIODS,
  SILENT_SOURCE_RULE,
  situationPictureDocumentIds,
  situationPictureFigures,
  situationPicturePeriod,
  situationPictureView,
  type PeriodAnswer,
} from './situation-picture/situation-picture.query.js';
export { SituationPictureReader } from './situation-picture/situation-picture.reader.js';
export { LATE_REPORT_HOURS, type SituationPictureDocument, type SituationPictureSettings } from './situation-picture/situation-picture.documents.js';
export type * from './situation-picture/situation-picture.types.js';
export { goalProgressProjection } from './goal-progress/goal-progress.projection.js';
export { countWindow, goalProgressDocumentIds, goalProgressView, goalStatus, type GoalProgress, type GoalProgressView, type GoalStatus, type GoalValue } from './goal-progress/goal-progress.query.js';
export { type GoalProgressDocument, type GoalProgressSettings, planDocumentId as goalProgressPlanDocumentId, type PlanDocument as GoalProgressPlanDocument } from './goal-progress/goal-progress.documents.js';
export { type GoalProgressAnswer, readGoalProgress } from './goal-progress/goal-progress.reader.js';
export { poissonInterval, wilsonInterval, type Interval } from './goal-progress/intervals.js';
