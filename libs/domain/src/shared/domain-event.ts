/** An event as the domain decides it: a type and its data. The pipeline adds ids and metadata. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
}

/** What a command brings besides its payload: the time it is decided at, injected, never read here. */
export interface Decision {
  now: Date;
}

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
