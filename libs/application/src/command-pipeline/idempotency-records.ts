import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { EVENT_STORE, type EventStore, WrongExpectedRevisionError } from '@app/event-store';
import type { CommandResult } from './command-envelope.js';
import { deterministicUuid } from './ids.js';

export const IDEMPOTENCY_KEY_RECORDED = 'IdempotencyKeyRecorded';

interface RecordedData {
  key: string;
  requestHash: string;
  result: { id: string; stream: string; revision: string; position: string };
}

/**
 * One stream per Idempotency-Key (`idempotency-<hash of key>`), holding the request hash and the
 * answer. It lives in the event log itself, so it works on every event-store adapter and is as
 * durable as the events it answers for.
 */
@Injectable()
export class IdempotencyRecords {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async find(key: string): Promise<{ requestHash: string; result: CommandResult } | undefined> {
    const [event] = await this.store.readStream(streamOf(key), { maxCount: 1 });
    if (!event) return undefined;
    const data = event.data as RecordedData;
    return {
      requestHash: data.requestHash,
      result: { ...data.result, revision: BigInt(data.result.revision), position: BigInt(data.result.position) },
    };
  }

  async record(key: string, requestHash: string, result: CommandResult): Promise<void> {
    const data: RecordedData = {
      key,
      requestHash,
      result: { ...result, revision: result.revision.toString(), position: result.position.toString() },
    };
    try {
      await this.store.append(
        streamOf(key),
        [
          {
            id: deterministicUuid('idempotency', key),
            type: IDEMPOTENCY_KEY_RECORDED,
            data,
            metadata: { actor: { id: 'system', role: 'system', organisation: 'samverkan' }, command: 'RecordIdempotencyKey', correlationId: result.stream, causationId: result.stream },
          },
        ],
        'no_stream',
      );
    } catch (error) {
      // A concurrent request with the same key recorded it first; both answers are the same result.
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
    }
  }
}

function streamOf(key: string): string {
  return `idempotency-${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
}
