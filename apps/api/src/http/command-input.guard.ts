import type { CanActivate, ExecutionContext, Paramtype } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import type { FastifyRequest } from 'fastify';
import type { FieldProblem } from '@app/domain';
import { envelopeHeaderProblems, envelopeOfContext } from './command-envelope.decorator.js';
import { RequestValidationError } from './problem-details.js';
import { pathUuidProblems, uuidPathPipe } from './uuid-path.pipe.js';
import { validationPipe } from './validation.js';

/** What a command route reads from its request beside the envelope's headers. */
export interface CommandInputs {
  /** Path parameters taken through uuidPathPipe (`id`). */
  uuidParams: string[];
  /** The DTO of a whole-path `@Param()`, checked by the global validation pipe. */
  pathDto?: Function;
  /** The DTO of `@Body()`. */
  bodyDto?: Function;
}

/** A route parameter as Nest's decorators record it. */
interface RouteArg {
  index: number;
  data?: unknown;
  pipes?: unknown[];
  factory?: unknown;
}

/**
 * Read from the handler's parameter decorators: a route is a command when it takes @Envelope();
 * null for every other route.
 */
export function commandInputsOf(controller: Function, handlerName: string): CommandInputs | null {
  const args = Object.entries((Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handlerName) ?? {}) as Record<string, RouteArg>);
  const types = (Reflect.getMetadata('design:paramtypes', controller.prototype, handlerName) ?? []) as Function[];
  if (!args.some(([, arg]) => arg.factory === envelopeOfContext)) return null;
  const inputs: CommandInputs = { uuidParams: [] };
  for (const [key, arg] of args.sort(([, a], [, b]) => a.index - b.index)) {
    // Built-in parameters are keyed `<RouteParamtypes>:<index>`; custom ones begin with an id of their own.
    const type = /^\d+:/.test(key) ? Number(key.split(':')[0]) : undefined;
    if (type === RouteParamtypes.PARAM && typeof arg.data === 'string' && arg.pipes?.includes(uuidPathPipe)) inputs.uuidParams.push(arg.data);
    else if (type === RouteParamtypes.PARAM && arg.data === undefined) inputs.pathDto = types[arg.index];
    else if (type === RouteParamtypes.BODY && arg.data === undefined) inputs.bodyDto = types[arg.index];
  }
  return inputs;
}

/** The problems the global validation pipe finds in a value; none when it passes. */
async function validationProblems(value: unknown, type: Paramtype, metatype: Function | undefined): Promise<FieldProblem[]> {
  try {
    await validationPipe.transform(value, { type, metatype: metatype as never });
    return [];
  } catch (error) {
    if (error instanceof RequestValidationError) return error.errors;
    throw error;
  }
}

/**
 * One 400 naming everything wrong with a command: its path, then its headers, then its body.
 *
 * Nest resolves a route's parameters apart (the path through its pipe, the headers in @Envelope(),
 * the body through the global pipe) and answers the first that throws, so a bad `:id` or If-Match hid
 * the body's problems. This runs before them. When the path and the headers are good it does nothing
 * more, and the parameters are resolved as before (a valid command pays for two header reads);
 * otherwise it validates the body as the global pipe would and throws all the problems together.
 */
export class CommandInputGuard implements CanActivate {
  /** By handler; null for a route that is not a command. */
  private readonly inputsByHandler = new WeakMap<Function, CommandInputs | null>();

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const inputs = this.inputsOf(context);
    if (!inputs) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const params = (request.params ?? {}) as Record<string, unknown>;
    const path = inputs.uuidParams.flatMap((name) => pathUuidProblems(name, params[name]));
    if (inputs.pathDto !== undefined) return this.withPathDto(inputs, request, path);
    const outside = [...path, ...envelopeHeaderProblems(request)];
    return outside.length === 0 || this.refuse(outside, inputs, request);
  }

  /** A whole-path DTO is only known to be good once the pipe has validated it. */
  private async withPathDto(inputs: CommandInputs, request: FastifyRequest, uuidProblems: FieldProblem[]): Promise<boolean> {
    const path = [...uuidProblems, ...(await validationProblems(request.params, 'param', inputs.pathDto))];
    const outside = [...path, ...envelopeHeaderProblems(request)];
    return outside.length === 0 || this.refuse(outside, inputs, request);
  }

  private async refuse(outside: FieldProblem[], inputs: CommandInputs, request: FastifyRequest): Promise<never> {
    throw new RequestValidationError([...outside, ...(await validationProblems(request.body, 'body', inputs.bodyDto))]);
  }

  private inputsOf(context: ExecutionContext): CommandInputs | null {
    const handler = context.getHandler();
    let inputs = this.inputsByHandler.get(handler);
    if (inputs === undefined) this.inputsByHandler.set(handler, (inputs = commandInputsOf(context.getClass(), handler.name)));
    return inputs;
  }
}
