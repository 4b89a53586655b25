import { ValidationPipe, type ValidationError } from '@nestjs/common';
import type { FieldProblem } from '@app/domain';
import { RequestValidationError } from './problem-details.js';

/** Every failing field as a path (`location.lat`, `results[2].value`) with all its messages. */
export function fieldProblems(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = /^\d+$/.test(error.property) ? `${parent}[${error.property}]` : parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({
      field,
      message: rule === 'whitelistValidation' ? 'is not a field of this request' : message.replace(/^\S+ /, ''),
    }));
    return [...own, ...fieldProblems(error.children ?? [], field)];
  });
}

/** Strict input: unknown fields are refused, nothing is coerced from strings. */
export const validationPipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  // One message per field: the first rule it breaks.
  stopAtFirstError: true,
  transformOptions: { enableImplicitConversion: false },
  validationError: { target: false, value: false },
  exceptionFactory: (errors) => new RequestValidationError(fieldProblems(errors)),
});
