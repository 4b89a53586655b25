import {
  type DynamicModule,
  Inject,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Settings } from '@app/config';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { READ_STORE, type ReadStore } from '@app/read-store';
import { allProjections } from '../all-projections.js';
import type { AnyProjection, RunnerOptions } from './projection-runner.js';
import { PROJECTION_MONITOR, type ProjectionMonitor } from './projection-status.js';
import { Projector } from './projector.js';
import { ProjectorThreads } from './projector-threads.js';
import { StoredProjectionMonitor } from './stored-projection-monitor.js';

export interface ProjectorModuleOptions {
  /** Run the projections in this process; false: only watch the checkpoints a projector elsewhere writes. */
  run: boolean;
  /** Default: allProjections(settings). */
  projections?: readonly AnyProjection[];
  runner?: Partial<Omit<RunnerOptions, 'logger'>>;
  /**
   * The script a projector thread runs (the app's own bundle, see `isProjectorThread`). With it and
   * PROJECTOR_THREADS above 0, the projections run in worker threads with their own connections to
   * the stores the settings name; without it (tests of the app in Jest) they run on this thread.
   */
  threadEntry?: string;
}

/** The projector itself (in this thread or in threads), not a monitor of checkpoints written elsewhere. */
const runsProjections = (monitor: ProjectionMonitor): monitor is Projector | ProjectorThreads => monitor instanceof Projector || monitor instanceof ProjectorThreads;

/** Starts the projector once the application is up, and stops it before the stores close. */
class ProjectorLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(@Inject(PROJECTION_MONITOR) private readonly monitor: ProjectionMonitor) {}

  async onApplicationBootstrap(): Promise<void> {
    if (runsProjections(this.monitor)) await this.monitor.start();
  }

  async onModuleDestroy(): Promise<void> {
    if (runsProjections(this.monitor)) await this.monitor.stop();
  }
}

/**
 * Provides PROJECTION_MONITOR: the projector itself when it runs here, else a monitor of the stored
 * checkpoints. Expects EVENT_STORE and READ_STORE from global modules.
 */
@Module({})
export class ProjectorModule {
  static forRoot(settings: Settings, options: ProjectorModuleOptions): DynamicModule {
    return {
      module: ProjectorModule,
      providers: [
        {
          provide: PROJECTION_MONITOR,
          inject: [EVENT_STORE, READ_STORE],
          useFactory: (eventStore: EventStore, readStore: ReadStore): ProjectionMonitor => {
            const projections = options.projections ?? allProjections(settings);
            const logger = new Logger('Projector');
            if (!options.run) {
              logger.log(`projections run elsewhere; following their checkpoints: ${projections.map((p) => p.name).join(', ')}`);
              return new StoredProjectionMonitor(eventStore, readStore, projections);
            }
            const runner = { catchUpCommitMs: settings.catchUpCommitMs, cacheSize: settings.projectorCacheDocuments, ...options.runner };
            const log = { log: (m: string) => logger.log(m), warn: (m: string) => logger.warn(m), error: (m: string) => logger.error(m) };
            if (options.threadEntry && settings.projectorThreads > 0 && !options.projections) {
              const threads = new ProjectorThreads({ settings, entry: options.threadEntry, threads: settings.projectorThreads, projections, runner, logger: log });
              logger.log(`projections run in ${threads.shares.length} threads: ${threads.shares.map((share) => share.join(', ')).join(' | ')}`);
              return threads;
            }
            return new Projector(eventStore, readStore, projections, { ...runner, logger: log });
          },
        },
        ProjectorLifecycle,
      ],
      exports: [PROJECTION_MONITOR],
    };
  }
}
