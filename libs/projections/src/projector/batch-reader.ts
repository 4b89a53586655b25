import type { RecordedEvent } from '@app/event-store';

const IDLE: unique symbol = Symbol('idle');
const LINGERED: unique symbol = Symbol('lingered');

/**
 * Cuts a subscription into batches: waits for a first event (or gives up when `idle` settles), then
 * takes whatever follows within `lingerMs`, up to `max` events. The pending read survives between
 * calls, so no event is lost when a wait ends without one.
 */
export class BatchReader {
  private pending: Promise<IteratorResult<RecordedEvent>> | undefined;
  private ended = false;

  constructor(private readonly iterator: AsyncIterator<RecordedEvent>) {}

  /** The next batch; empty when `idle` settled first; null once the subscription has ended. */
  async next(max: number, lingerMs: number, idle: Promise<unknown>): Promise<RecordedEvent[] | null> {
    if (this.ended) return null;
    const first = await Promise.race([this.pull(), idle.then((): typeof IDLE => IDLE)]);
    if (first === IDLE) return [];
    this.pending = undefined;
    if (first.done) {
      this.ended = true;
      return null;
    }
    const batch = [first.value];
    if (batch.length >= max) return batch;

    let stopLingering!: () => void;
    const lingered = new Promise<typeof LINGERED>((resolve) => (stopLingering = () => resolve(LINGERED)));
    const timer = setTimeout(stopLingering, lingerMs);
    try {
      while (batch.length < max) {
        // An event already buffered by the subscription arrives within microtasks, before the timer.
        const result = await Promise.race([this.pull(), lingered]);
        if (result === LINGERED) break;
        this.pending = undefined;
        if (result.done) {
          this.ended = true;
          break;
        }
        batch.push(result.value);
      }
    } finally {
      clearTimeout(timer);
    }
    return batch;
  }

  private pull(): Promise<IteratorResult<RecordedEvent>> {
    this.pending ??= this.iterator.next();
    return this.pending;
  }
}
