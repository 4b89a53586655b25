import type { FastifyReply } from 'fastify';
import type { CommandResult } from '@app/application';

export interface CommandAnswer {
  id: string;
  revision: string;
  position: string;
}

/** `201 { id, revision, position }` with the stream revision as ETag and the resource's Location. */
export function created(reply: FastifyReply, result: CommandResult, location: string): CommandAnswer {
  reply.status(201).header('etag', `"${result.revision}"`).header('location', location);
  return { id: result.id, revision: result.revision.toString(), position: result.position.toString() };
}
