import { type DynamicModule, Module } from '@nestjs/common';
import { SETTINGS, type Settings } from '@app/config';
import { ProjectorModule } from '@app/projections';
import { ReadStoreModule } from '@app/read-store/read-store.module.js';
// The event store is opened exactly as the API opens it (SQLite under DATA_DIR, or EventStoreDB).
import { EventStoreModule } from '@app/event-store/event-store.module.js';
import { ProjectorOperationsController } from './projector-operations.controller.js';

/** The projector alone: every projection, with health, metrics and the rebuild command over HTTP. */
@Module({})
export class ProjectorAppModule {
  /** `threadEntry`: the script projector threads run (this app's bundle). */
  static forRoot(settings: Settings, threadEntry?: string): DynamicModule {
    return {
      module: ProjectorAppModule,
      imports: [EventStoreModule.forRoot(settings), ReadStoreModule.forRoot(settings), ProjectorModule.forRoot(settings, { run: true, threadEntry })],
      controllers: [ProjectorOperationsController],
      providers: [{ provide: SETTINGS, useValue: settings }],
    };
  }
}
