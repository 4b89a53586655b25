import { IllegalStateError, InvalidCommandError, UnknownReferenceError } from '../shared/errors.js';
import { type Boundary, boundaryProblem } from '../shared/geo.js';
import type { AreaDefined } from './registry.events.js';
import type { AreaState, MunicipalityFacts } from './registry.state.js';

export interface DefineArea {
  areaId: string;
  municipalityId: string;
  name: string;
  boundary?: Boundary;
  /** The municipality named, as it stands; undefined when it is not registered. */
  municipality: MunicipalityFacts | undefined;
}

export function defineArea(command: DefineArea, state: AreaState): AreaDefined[] {
  if (state.status !== 'none') throw new IllegalStateError('AREA.ALREADY_DEFINED', `area ${command.areaId} is already defined`);
  if (!command.municipality) {
    throw new UnknownReferenceError('AREA.UNKNOWN_MUNICIPALITY', `municipality ${command.municipalityId} is not registered`, 'municipalityId', command.municipalityId);
  }
  if (command.boundary !== undefined) {
    const problem = boundaryProblem(command.boundary);
    if (problem) throw new InvalidCommandError('AREA.INVALID_BOUNDARY', [{ field: 'boundary', message: problem }]);
  }
  return [
    {
      type: 'AreaDefined',
      data: { areaId: command.areaId, municipalityId: command.municipalityId, name: command.name, boundary: command.boundary ?? null },
    },
  ];
}
