import { Module } from '@nestjs/common';
import { CommandPipeline } from './command-pipeline/command-pipeline.js';
import { IdempotencyRecords } from './command-pipeline/idempotency-records.js';
import { GetIncidentQuery } from './incident/get-incident.query.js';
import { ReclassifyIncidentHandler } from './incident/reclassify-incident.handler.js';
import { RecordIncidentHandler } from './incident/record-incident.handler.js';
import { RetractIncidentHandler } from './incident/retract-incident.handler.js';
import { DefineAreaHandler } from './registry/define-area.handler.js';
import { RegisterMunicipalityHandler } from './registry/register-municipality.handler.js';
import { RegisterPlaceHandler } from './registry/register-place.handler.js';
import { RegistryLookup } from './registry/registry.lookup.js';
import { AddGoalHandler } from './action-plan/add-goal.handler.js';
import { AddMeasureHandler } from './action-plan/add-measure.handler.js';
import { AdoptActionPlanHandler } from './action-plan/adopt-action-plan.handler.js';
import { DraftActionPlanHandler } from './action-plan/draft-action-plan.handler.js';
import { GetActionPlanQuery } from './action-plan/get-action-plan.query.js';
import { MeasureLookup } from './action-plan/measure.lookup.js';
import { SignActionPlanHandler } from './action-plan/sign-action-plan.handler.js';
import { EndGuardReinforcementHandler } from './guard-presence/end-guard-reinforcement.handler.js';
import { LogPatrolVisitHandler } from './guard-presence/log-patrol-visit.handler.js';
import { ReinforceGuardPresenceHandler } from './guard-presence/reinforce-guard-presence.handler.js';
import { ImportPoliceStatisticsHandler } from './police-statistics/import-police-statistics.handler.js';
import { PublishSituationPictureHandler } from './situation-picture/publish-situation-picture.handler.js';
import { RecordSurveyResultsHandler } from './survey/record-survey-results.handler.js';

const commandHandlers = [
  RegisterMunicipalityHandler,
  DefineAreaHandler,
  RegisterPlaceHandler,
  RecordIncidentHandler,
  ReclassifyIncidentHandler,
  RetractIncidentHandler,
  DraftActionPlanHandler,
  AddGoalHandler,
  AddMeasureHandler,
  SignActionPlanHandler,
  AdoptActionPlanHandler,
  ReinforceGuardPresenceHandler,
  EndGuardReinforcementHandler,
  LogPatrolVisitHandler,
  RecordSurveyResultsHandler,
  ImportPoliceStatisticsHandler,
  PublishSituationPictureHandler,
];
const queries = [GetIncidentQuery, GetActionPlanQuery];

/**
 * Command handlers and queries. Expects the EVENT_STORE provider from the module that imports it
 * (the app decides which adapter).
 * Also expects SETTINGS (@app/config), visible globally: publication and patrol visits cut periods
 * and dates with SITUATION_PERIOD_ANCHOR and TZ_REPORTING.
 */
@Module({
  providers: [CommandPipeline, IdempotencyRecords, RegistryLookup, MeasureLookup, ...commandHandlers, ...queries],
  exports: [CommandPipeline, RegistryLookup, ...queries],
})
export class ApplicationModule {}
