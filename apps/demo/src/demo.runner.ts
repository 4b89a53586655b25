import type { CommandBus } from '@nestjs/cqrs';
import type { EventStore } from '@app/event-store';
import { type DemoScript, type DemoStep, STEP_KINDS, type StepKind } from './demo.script.js';

/** The store already holds events: the demo writes a history from its beginning, so only into an empty log. */
export class DemoRefusedError extends Error {
  constructor(readonly headPosition: bigint) {
    super(
      `the event store is not empty (its log reaches position ${headPosition}); the demo fills an empty store only. ` +
        'Point DATA_DIR at a new directory (for example DATA_DIR=./data/demo npm run demo) or remove the old one.',
    );
    this.name = 'DemoRefusedError';
  }
}

export async function assertEventStoreEmpty(store: EventStore): Promise<void> {
  const head = await store.headPosition();
  if (head !== undefined) throw new DemoRefusedError(head);
}

/** A command of the script that the application refused: a bug in the script, or in the rules it ran into. */
export class DemoStepFailedError extends Error {
  constructor(readonly step: DemoStep, cause: unknown) {
    const code = (cause as { code?: string }).code;
    super(`the ${step.kind} command decided at ${step.at.toISOString()} failed: ${code ? `${code}: ` : ''}${(cause as Error).message}`, { cause });
    this.name = 'DemoStepFailedError';
  }
}

export interface DemoRunResult {
  /** Commands sent, by kind. */
  counts: Record<StepKind, number>;
  commands: number;
  /** The head of the log afterwards. */
  headPosition: bigint | undefined;
  elapsedMs: number;
}

export interface RunOptions {
  /** Most independent commands sent together (they share the store's group commits). */
  batchSize?: number;
  /** Called now and then with the simulated time reached. */
  onProgress?: (at: Date, done: number, total: number) => void;
}

/**
 * Sends the script's commands on the command bus in the order of their simulated time. Runs of
 * independent commands (incidents, patrol visits) go in concurrent batches; every other command
 * (a correction, a signature, a publication that freezes the log as it stands) waits for all before it.
 */
export async function runDemo(bus: CommandBus, store: EventStore, script: DemoScript, options: RunOptions = {}): Promise<DemoRunResult> {
  await assertEventStoreEmpty(store);
  const started = performance.now();
  const batchSize = options.batchSize ?? 128;
  const counts = Object.fromEntries(STEP_KINDS.map((kind) => [kind, 0])) as Record<StepKind, number>;
  let done = 0;
  let lastMonth = '';

  const send = async (steps: DemoStep[]) => {
    const outcomes = await Promise.allSettled(steps.map((step) => bus.execute(step.command)));
    // Every command of the batch has settled before the first failure is reported.
    const failed = outcomes.findIndex((outcome) => outcome.status === 'rejected');
    if (failed !== -1) throw new DemoStepFailedError(steps[failed], (outcomes[failed] as PromiseRejectedResult).reason);
    for (const step of steps) counts[step.kind]++;
    done += steps.length;
    const month = steps[steps.length - 1].at.toISOString().slice(0, 7);
    if (month !== lastMonth) {
      lastMonth = month;
      options.onProgress?.(steps[steps.length - 1].at, done, script.steps.length);
    }
  };

  let batch: DemoStep[] = [];
  for (const step of script.steps) {
    if (step.concurrent) {
      batch.push(step);
      if (batch.length >= batchSize) {
        await send(batch);
        batch = [];
      }
      continue;
    }
    if (batch.length > 0) await send(batch);
    batch = [];
    await send([step]);
  }
  if (batch.length > 0) await send(batch);

  return { counts, commands: done, headPosition: await store.headPosition(), elapsedMs: performance.now() - started };
}
