import { type DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ApplicationModule } from '@app/application';
import { SETTINGS, type Settings } from '@app/config';
import { HealthController } from './health/health.controller.js';
import { IncidentController } from './incidents/incident.controller.js';
import type { EventStore } from '@app/event-store';
import { EventStoreModule } from '@app/event-store/event-store.module.js';
import { RegistryController } from './registry/registry.controller.js';
import { ActionPlanController } from './action-plans/action-plan.controller.js';
import { GuardPresenceController } from './guard-presence/guard-presence.controller.js';
import { PoliceStatisticsController } from './police-statistics/police-statistics.controller.js';
import { SituationPictureController } from './situation-pictures/situation-picture.controller.js';
import { SurveyController } from './surveys/survey.controller.js';
import { ReadSideModule } from './queries/read-side.module.js';

export interface ApiModuleOptions {
  /** Replaces the adapter chosen from the settings (tests pass their own). */
  store?: EventStore;
  /** The script projector threads run (the API's own bundle); without it the projections run on the main thread. */
  projectorThreadEntry?: string;
}

@Module({})
export class ApiModule {
  static forRoot(settings: Settings, options: ApiModuleOptions = {}): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        CqrsModule.forRoot(),
        EventStoreModule.forRoot(settings, options.store),
        ApplicationModule,
        ReadSideModule.forRoot(settings, { projector: { threadEntry: options.projectorThreadEntry } }),
      ],
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
