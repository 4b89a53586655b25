import { type DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ApplicationModule } from '@app/application';
import { SETTINGS, type Settings } from '@app/config';
import type { EventStore } from '@app/event-store';
import { EventStoreModule } from '@app/event-store/event-store.module.js';
import type { ReadStore } from '@app/read-store';
import { ReadStoreModule } from '@app/read-store/read-store.module.js';

/**
 * The write side as the API has it (command bus, handlers, the event store chosen from the settings)
 * and the read store, without HTTP: the demo sends its commands on the bus and then fills the read models.
 */
@Module({})
export class DemoModule {
  /** `store` and `readStore` replace the adapters chosen from the settings (tests pass their own). */
  static forRoot(settings: Settings, stores: { store?: EventStore; readStore?: ReadStore } = {}): DynamicModule {
    return {
      module: DemoModule,
      imports: [CqrsModule.forRoot(), EventStoreModule.forRoot(settings, stores.store), ReadStoreModule.forRoot(settings, stores.readStore), ApplicationModule],
      providers: [{ provide: SETTINGS, useValue: settings }],
      // Global, so the handlers that cut periods and dates (publication, patrol visits) can inject SETTINGS.
      exports: [SETTINGS],
      global: true,
    };
  }
}
