import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateBy } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { ValidateIf } from 'class-validator';
import { isIsoDate, isSupportedYear, RESPONSIBLE_PARTIES, SUPPORTED_YEARS } from '@app/domain';

interface FieldOptions {
  optional?: boolean;
  example?: unknown;
  description?: string;
}

export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SLUG_MAX_LENGTH = 64;

/** A slug id as the body rule IsSlug takes it: the pattern, and at most SLUG_MAX_LENGTH characters. */
export function isSlug(value: string): boolean {
  return value.length <= SLUG_MAX_LENGTH && SLUG.test(value);
}

/** A UUID of RFC 9562 (versions 1–8, nil, max), in either case: what IsUUID and ParseUUIDPipe take. */
const UUID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$/i;

/**
 * The UUID in lower case, or undefined when the text is none. UUIDs compare case-insensitively
 * (RFC 9562), and an id becomes part of a stream name, which does not: so every UUID a client
 * sends is lower-cased at the edge, or AAAA… and aaaa… would be two incidents.
 */
export function lowerCasedUuid(value: unknown): string | undefined {
  return typeof value === 'string' && UUID.test(value) ? value.toLowerCase() : undefined;
}

/** Lower-cases a string (each string of a list), before the rules check it; anything else is left for them to refuse. */
const toLowerCase = Transform(({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.toLowerCase() : Array.isArray(value) ? value.map((item: unknown) => (typeof item === 'string' ? item.toLowerCase() : item)) : value,
);

/**
 * A client-supplied UUID, lower-cased before it is checked (see lowerCasedUuid). The Swagger
 * property stays with the field, as its description says what the id is.
 */
export function LowerCasedUuid() {
  return applyDecorators(toLowerCase, IsUUID());
}

/** An instant with an explicit offset: a time without one is ambiguous in a two-time-zone country. */
export const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** A slug id such as `danderyd` or `morby-centrum`. */
export function IsSlug(options: FieldOptions = {}) {
  const { optional, ...api } = options;
  return applyDecorators(
    ...(optional ? [IsOptional()] : []),
    IsString(),
    MaxLength(SLUG_MAX_LENGTH),
    Matches(SLUG, { message: '$property must be a lower-case slug such as morby-centrum' }),
    ApiProperty({ type: String, pattern: SLUG.source, required: !optional, ...api }),
  );
}

/** ISO 8601 instant with offset, e.g. 2024-05-10T22:15:00+02:00. */
export function IsInstant(options: FieldOptions = {}) {
  const { optional, ...api } = options;
  return applyDecorators(
    ...(optional ? [IsOptional()] : []),
    ValidateBy({
      name: 'isInstant',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isRealInstant(value),
        defaultMessage: () => `$property must be an ISO 8601 date-time with an offset, such as 2024-05-10T22:15:00+02:00, in the ${SUPPORTED_YEARS}`,
      },
    }),
    ApiProperty({ type: String, format: 'date-time', required: !optional, ...api }),
  );
}

export function IsText(maxLength: number, options: FieldOptions = {}) {
  const { optional, ...api } = options;
  return applyDecorators(
    ...(optional ? [IsOptional()] : [IsNotEmpty()]),
    IsString(),
    MaxLength(maxLength),
    ApiProperty({ type: String, maxLength, required: !optional, ...api }),
  );
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The two or four digits at `at` as a number (the pattern has checked they are digits). */
function digits(value: string, at: number, count: 2 | 4): number {
  let n = 0;
  for (let i = at; i < at + count; i++) n = n * 10 + value.charCodeAt(i) - 48;
  return n;
}

/**
 * The pattern, a year the domain supports (periods.ts says why), a calendar date that exists (the
 * pattern alone lets 2024-02-30 through), and a time Date.parse takes (no 25:00, no +24:00).
 * Counted on the characters: this runs for every instant of every request, and splitting the string
 * and building a Date for the day cost more than the rest of the check together.
 */
export function isRealInstant(value: string): boolean {
  if (!INSTANT.test(value)) return false;
  const month = digits(value, 5, 2);
  const day = digits(value, 8, 2);
  const year = digits(value, 0, 4);
  if (month < 1 || month > 12 || day < 1 || !isSupportedYear(year)) return false;
  const isLeap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && isLeap ? 29 : DAYS_IN_MONTH[month - 1])) return false;
  return !Number.isNaN(Date.parse(value));
}

/**
 * May be left out; but a field that is there must be valid. Unlike `optional: true` (IsOptional),
 * null is not taken for "left out", so it never reaches a command. Put it above the field's rule.
 */
export function Omittable() {
  return applyDecorators(
    ValidateIf((_object, value) => value !== undefined),
    ApiPropertyOptional(),
  );
}

/** A calendar date `YYYY-MM-DD` that exists (2024-02-29, not 2023-02-29). */
export function IsCalendarDate(options: FieldOptions = {}) {
  const { optional, ...api } = options;
  return applyDecorators(
    ...(optional ? [IsOptional()] : []),
    ValidateBy({
      name: 'isCalendarDate',
      validator: {
        validate: (value: unknown) => isIsoDate(value),
        defaultMessage: () => `$property must be a date YYYY-MM-DD that exists, such as 2025-01-01, in the ${SUPPORTED_YEARS}`,
      },
    }),
    ApiProperty({ type: String, format: 'date', required: !optional, ...api }),
  );
}

/**
 * Ids in a list: at least one, at most `maxItems`, each a slug (or each a UUID, lower-cased as
 * LowerCasedUuid does), none twice is the domain's to say.
 */
export function IsIdList(kind: 'slug' | 'uuid', options: FieldOptions & { maxItems?: number } = {}) {
  const { optional, maxItems = 100, ...api } = options;
  const isId = (id: unknown) => (kind === 'slug' ? typeof id === 'string' && isSlug(id) : lowerCasedUuid(id) !== undefined);
  return applyDecorators(
    ...(kind === 'uuid' ? [toLowerCase] : []),
    ...(optional ? [IsOptional()] : []),
    ValidateBy({
      name: 'isIdList',
      validator: {
        validate: (value: unknown) => Array.isArray(value) && value.length <= maxItems && value.every(isId),
        defaultMessage: () => `$property must be a list of at most ${maxItems} ${kind === 'slug' ? 'lower-case slugs such as morby-centrum' : 'UUIDs'}`,
      },
    }),
    ApiProperty({ type: 'array', items: kind === 'slug' ? { type: 'string', pattern: SLUG.source } : { type: 'string', format: 'uuid' }, maxItems, required: !optional, ...api }),
  );
}

/** Who carries something out: 'police', 'municipality', 'joint', or `{ partner }` naming a partner (and nothing else). */
export function IsResponsible(options: FieldOptions = {}) {
  const { optional, ...api } = options;
  const isPartner = (value: unknown) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    const keys = Object.keys(value);
    const partner = (value as { partner?: unknown }).partner;
    return keys.length === 1 && keys[0] === 'partner' && typeof partner === 'string' && partner.trim() !== '' && partner.length <= 200;
  };
  return applyDecorators(
    ...(optional ? [IsOptional()] : []),
    ValidateBy({
      name: 'isResponsible',
      validator: {
        validate: (value: unknown) => (RESPONSIBLE_PARTIES as readonly unknown[]).includes(value) || isPartner(value),
        defaultMessage: () => `$property must be one of ${RESPONSIBLE_PARTIES.join(', ')}, or { "partner": "<name>" }`,
      },
    }),
    ApiProperty({
      oneOf: [
        { type: 'string', enum: [...RESPONSIBLE_PARTIES] },
        { type: 'object', properties: { partner: { type: 'string', maxLength: 200 } }, required: ['partner'], additionalProperties: false },
      ],
      required: !optional,
      ...api,
    }),
  );
}
