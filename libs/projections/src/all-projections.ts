import { decisionLogProjection } from './decision-log/decision-log.projection.js';
import { goalProgressProjection } from './goal-progress/goal-progress.projection.js';
import { guardReinforcementsProjection } from './guard-reinforcements/guard-reinforcements.projection.js';
import { incidentRegisterProjection } from './incident-register/incident-register.projection.js';
import type { AnyProjection } from './projector/projection-runner.js';
import { situationPictureProjection } from './situation-picture/situation-picture.projection.js';

/** What some projections need to know of the settings (periods are cut in a time zone from an anchor). */
export interface ProjectionSettings {
  situationPeriodAnchor: string;
  reportingTimeZone: string;
}

/** Every projection the projector runs, each with its own subscription and checkpoint. */
export function allProjections(settings: ProjectionSettings): AnyProjection[] {
  const projections = [
    incidentRegisterProjection,
    decisionLogProjection,
    situationPictureProjection({ anchor: settings.situationPeriodAnchor, timeZone: settings.reportingTimeZone }),
    goalProgressProjection({ timeZone: settings.reportingTimeZone }),
    guardReinforcementsProjection,
  ];
  return projections as unknown as AnyProjection[];
}
