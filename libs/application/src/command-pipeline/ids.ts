import { createHash, randomFillSync } from 'node:crypto';
import type { CommandEnvelope } from './command-envelope.js';

/** A name-based UUID (version 5 layout over SHA-256 bits): the same parts always give the same id. */
export function deterministicUuid(...parts: string[]): string {
  const hash = createHash('sha256').update(parts.join('\u0000')).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const pool = Buffer.alloc(16 * 256);
let poolOffset = pool.length;
let lastMs = -1;
let sequence = 0;

/**
 * A time-ordered UUID (version 7, RFC 9562): 48 bits of Unix milliseconds, then a 12-bit sequence
 * that keeps ids of one millisecond in order within this process, then 62 random bits. Ids made one
 * after another sort as they were made, so the indexes they are keys of (events by id, streams by
 * name, documents by id) grow at their right edge instead of touching a random page per insert.
 */
export function timeOrderedUuid(now = Date.now()): string {
  if (poolOffset + 16 > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const bytes = pool.subarray(poolOffset, poolOffset + 16);
  poolOffset += 16;
  let ms = Math.max(now, lastMs);
  if (ms === lastMs) {
    sequence++;
    if (sequence > 0xfff) {
      // 4,096 ids in one millisecond: borrow the next millisecond rather than lose the order.
      ms++;
      sequence = 0;
    }
  } else sequence = 0;
  lastMs = ms;
  const high = Math.floor(ms / 2 ** 16);
  bytes.writeUInt32BE(high >>> 0, 0);
  bytes.writeUInt16BE(ms % 2 ** 16, 4);
  bytes[6] = 0x70 | (sequence >>> 8);
  bytes[7] = sequence & 0xff;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The id of something a command creates when the client left it out: derived from the
 * Idempotency-Key when there is one (so a retry lands on the same stream), else time-ordered.
 */
export function generatedId(kind: string, envelope: Pick<CommandEnvelope, 'idempotency'>): string {
  return envelope.idempotency ? deterministicUuid(kind, envelope.idempotency.key) : timeOrderedUuid();
}

/** A stable hash of a request: method, path and body with object keys sorted. */
export function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256').update(`${method} ${path}\n${canonicalJson(body)}`).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
