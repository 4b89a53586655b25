import { IllegalStateError } from '../shared/errors.js';
import type { MunicipalityRegistered } from './registry.events.js';
import type { MunicipalityState } from './registry.state.js';

export interface RegisterMunicipality {
  municipalityId: string;
  name: string;
  policeArea?: string;
}

export function registerMunicipality(command: RegisterMunicipality, state: MunicipalityState): MunicipalityRegistered[] {
  if (state.status !== 'none') {
    throw new IllegalStateError('MUNICIPALITY.ALREADY_REGISTERED', `municipality ${command.municipalityId} is already registered`);
  }
  return [
    {
      type: 'MunicipalityRegistered',
      data: { municipalityId: command.municipalityId, name: command.name, policeArea: command.policeArea ?? null },
    },
  ];
}
