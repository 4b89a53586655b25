import { type DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ApplicationModule } from '@app/application';
import { SETTINGS, type Settings } from '@app/config';
import { HealthController } from './health/health.controller.js';
import { IncidentController } from './incidents/incident.controller.js';
import { type EventStore, EventStoreModule } from '@app/event-store';
import { RegistryController } from './registry/registry.controller.js';
import { ActionPlanController } from './action-plans/action-plan.controller.js';
import { GuardPresenceController } from './guard-presence/guard-presence.controller.js';
import { PoliceStatisticsController } from './police-statistics/police-statistics.controller.js';
import { SituationPictureController } from './situation-pictures/situation-picture.controller.js';
import { SurveyController } from './surveys/survey.controller.js';
import { ReadSideModule } from './queries/read-side.module.js';

@Module({})
export class ApiModule {
  /** `store` replaces the adapter chosen from the settings (tests pass an in-memory one). */
  static forRoot(settings: Settings, store?: EventStore): DynamicModule {
    return {
      module: ApiModule,
      imports: [CqrsModule.forRoot(), EventStoreModule.forRoot(settings, store), ApplicationModule, ReadSideModule.forRoot(settings)],
      controllers: [
        RegistryController,
        IncidentController,
        HealthController,
        ActionPlanController,
        GuardPresenceController,
        SurveyController,
        PoliceStatisticsController,
        SituationPictureController,
      ],
      providers: [{ provide: SETTINGS, useValue: settings }],
      // Global, so the application's handlers (publication, patrol visits) can inject SETTINGS too.
      exports: [SETTINGS],
      global: true,
    };
  }
}
