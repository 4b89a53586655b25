import { type DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ApplicationModule } from '@app/application';
import { SETTINGS, type Settings } from '@app/config';
import type { EventStore } from '@app/event-store';
import { HealthController } from './health/health.controller.js';
import { IncidentController } from './incidents/incident.controller.js';
import { EventStoreModule } from './infrastructure/event-store.module.js';
import { RegistryController } from './registry/registry.controller.js';

@Module({})
export class ApiModule {
  /** `store` replaces the adapter chosen from the settings (tests pass an in-memory one). */
  static forRoot(settings: Settings, store?: EventStore): DynamicModule {
    return {
      module: ApiModule,
      imports: [CqrsModule.forRoot(), EventStoreModule.forRoot(settings, store), ApplicationModule],
      controllers: [RegistryController, IncidentController, HealthController],
      providers: [{ provide: SETTINGS, useValue: settings }],
    };
  }
}
