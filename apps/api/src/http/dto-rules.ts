import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateBy } from 'class-validator';

interface FieldOptions {
  optional?: boolean;
  example?: unknown;
  description?: string;
}

export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** An instant with an explicit offset: a time without one is ambiguous in a two-time-zone country. */
export const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** A slug id such as `danderyd` or `morby-centrum`. */
export function IsSlug(options: FieldOptions = {}) {
  const { optional, ...api } = options;
  return applyDecorators(
    ...(optional ? [IsOptional()] : []),
    IsString(),
    MaxLength(64),
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
        defaultMessage: () => '$property must be an ISO 8601 date-time with an offset, such as 2024-05-10T22:15:00+02:00',
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

/** The pattern, and a calendar date that exists (the pattern alone lets 2024-02-30 through). */
export function isRealInstant(value: string): boolean {
  if (!INSTANT.test(value)) return false;
  const [year, month, day] = value.slice(0, 10).split('-').map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day && !Number.isNaN(Date.parse(value));
}
