/** Who issued a command. Until authentication exists this is a development default (see DEVELOPMENT_ACTOR). */
export interface Actor {
  id: string;
  role: string;
  organisation: string;
}

/** Everything a command carries besides its payload; built at the edge (HTTP) from the request. */
export interface CommandEnvelope {
  /** Unique per command; the causation id of the events it causes. */
  commandId: string;
  /** The time the command is decided at; injected into the domain. */
  now: Date;
  actor: Actor;
  correlationId: string;
  /** From `If-Match`: the command only applies if the stream is still at this revision. */
  expectedRevision?: bigint;
  /** From `Idempotency-Key`: the key and a hash of what was asked under it. */
  idempotency?: { key: string; requestHash: string };
}

export interface CommandResult {
  id: string;
  stream: string;
  /** The stream's revision after the command. */
  revision: bigint;
  /** The global log position of the command's last event. */
  position: bigint;
}

/**
 * DEVELOPMENT DEFAULT, NOT AUTHENTICATION: the actor recorded when a request names none.
 * Replace with the identity from the authentication layer once it exists.
 */
export const DEVELOPMENT_ACTOR: Actor = Object.freeze({
  id: 'development-user',
  role: 'development',
  organisation: 'development',
});
