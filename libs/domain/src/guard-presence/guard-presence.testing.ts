/** Facts and events shared by the guard-presence decider specs. */
import type { PlaceFacts } from '../registry/registry.state.js';
import type { GuardPresenceReinforced, GuardReinforcementEnded } from './guard-presence.events.js';

export const morby: PlaceFacts = {
  status: 'registered',
  placeId: 'morby-centrum',
  areaId: 'centrala-danderyd',
  municipalityId: 'danderyd',
  name: 'Mörby centrum',
  location: { lat: 59.398, lon: 18.036 },
  radiusMeters: 200,
  kind: 'shopping-centre',
};
export const station: PlaceFacts = { ...morby, placeId: 'danderyds-sjukhus', name: 'Danderyds sjukhus', kind: 'station' };

export const reinforced: GuardPresenceReinforced = {
  type: 'GuardPresenceReinforced',
  data: {
    reinforcementId: 'r-1',
    municipalityId: 'danderyd',
    placeIds: ['morby-centrum', 'danderyds-sjukhus'],
    from: '2025-03-03',
    to: '2025-08-31',
    hoursPerWeek: 20,
    provider: 'Securitas',
    fundedBy: 'Trygghetssatsning 2025',
    measureId: 'm-1',
    actionPlanId: 'ap-1',
  },
};

export const ended = (endedOn = '2025-06-15'): GuardReinforcementEnded => ({
  type: 'GuardReinforcementEnded',
  data: { reinforcementId: 'r-1', municipalityId: 'danderyd', endedOn, reason: 'Budget cut', measureId: 'm-1', actionPlanId: 'ap-1' },
});
