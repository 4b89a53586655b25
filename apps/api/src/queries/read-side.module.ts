import { type DynamicModule, Module } from '@nestjs/common';
import { ApplicationModule } from '@app/application';
import type { Settings } from '@app/config';
import { ProjectorModule, type ProjectorModuleOptions } from '@app/projections';
import type { ReadStore } from '@app/read-store';
import { ReadStoreModule } from '@app/read-store/read-store.module.js';
import { DecisionLogController } from '../audit/decision-log.controller.js';
import { StreamAuditController } from '../audit/stream-audit.controller.js';
import { GuardReinforcementQueryController } from '../guard-presence/guard-reinforcement-query.controller.js';
import { IncidentRegisterController } from '../incidents/incident-register.controller.js';
import { MetricsController } from '../operations/metrics.controller.js';
import { ProjectionsController } from '../operations/projections.controller.js';
import { GoalProgressController } from '../action-plans/goal-progress.controller.js';
import { SituationPictureQueryController } from '../situation-pictures/situation-picture-query.controller.js';
import { Consistency, LogConsistency } from './consistency.js';

export interface ReadSideOptions {
  /** Replaces the read store chosen from the settings. */
  readStore?: ReadStore;
  projector?: Partial<Omit<ProjectorModuleOptions, 'run'>>;
}

/**
 * The read side in the API: the read store, the projections (run here when RUN_PROJECTOR, else
 * followed through their checkpoints), and the queries and operations endpoints over them. The
 * application's RegistryLookup tells the situation picture which municipalities exist (the same
 * instance as the command side's, so they share its cache).
 */
@Module({})
export class ReadSideModule {
  static forRoot(settings: Settings, options: ReadSideOptions = {}): DynamicModule {
    return {
      module: ReadSideModule,
      imports: [
        ReadStoreModule.forRoot(settings, options.readStore),
        ProjectorModule.forRoot(settings, { ...options.projector, run: settings.runProjector }),
        ApplicationModule,
      ],
      controllers: [SituationPictureQueryController, GoalProgressController, IncidentRegisterController, GuardReinforcementQueryController, DecisionLogController, StreamAuditController, MetricsController, ProjectionsController],
      providers: [Consistency, LogConsistency],
      exports: [ProjectorModule, Consistency, LogConsistency],
    };
  }
}
