import { describe, expect, it } from '@jest/globals';
import type { GuardPresenceReinforced, GuardReinforcementEnded, PatrolVisitLogged } from '@app/domain';
import { ended, reinforced } from '@app/domain/guard-presence/guard-presence.testing.js';
import { project } from '../projection.js';
import { TestLog } from '../projector/log.testing.js';
import { type GuardReinforcementEntry, guardReinforcementsProjection as reinforcements } from './guard-reinforcements.projection.js';

const visit = (visitId: string, overrides: Partial<PatrolVisitLogged['data']> = {}): PatrolVisitLogged => ({
  type: 'PatrolVisitLogged',
  data: {
    visitId,
    municipalityId: 'danderyd',
    areaId: 'centrala-danderyd',
    placeId: 'morby-centrum',
    arrivedAt: '2025-03-07T20:00:00.000Z',
    departedAt: '2025-03-07T20:45:00.000Z',
    guards: 2,
    reinforcementId: 'r-1',
    observations: null,
    ...overrides,
  },
});
const other: GuardPresenceReinforced = { type: 'GuardPresenceReinforced', data: { ...reinforced.data, reinforcementId: 'r-2', placeIds: ['morby-centrum'], measureId: null, actionPlanId: null, fundedBy: null } };

/**
 * r-1 reinforced, patrolled, its end on 15 June announced, patrolled again (and a visit outside any
 * reinforcement between); then r-2 reinforced.
 */
function history(): TestLog {
  const log = new TestLog();
  log.append('guardreinforcement-r-1', reinforced);
  log.append('incident-1', { type: 'IncidentRecorded', data: {} });
  log.append('patrolvisit-v-1', visit('v-1'));
  log.append('guardreinforcement-r-1', ended('2025-06-15'));
  log.append('patrolvisit-v-2', visit('v-2', { reinforcementId: null }));
  log.append('patrolvisit-v-3', visit('v-3', { arrivedAt: '2025-03-08T10:00:00.000Z', departedAt: '2025-03-08T11:30:00.000Z', guards: null }));
  log.append('guardreinforcement-r-2', other);
  return log;
}

describe('guard-reinforcements projection', () => {
  it('given a reinforcement, then one entry with what was decided and nothing logged yet', () => {
    const log = new TestLog();
    log.append('guardreinforcement-r-1', reinforced);
    expect(project(reinforcements, log.events)).toEqual(
      new Map([
        [
          'r-1',
          {
            id: 'r-1',
            municipalityId: 'danderyd',
            placeIds: ['morby-centrum', 'danderyds-sjukhus'],
            from: '2025-03-03',
            to: '2025-08-31',
            hoursPerWeek: 20,
            provider: 'Securitas',
            fundedBy: 'Trygghetssatsning 2025',
            measureId: 'm-1',
            actionPlanId: 'ap-1',
            endedOn: null,
            endReason: null,
            lastDay: '2025-08-31',
            visits: 0,
            loggedHours: 0,
            loggedGuardHours: 0,
            revision: '0',
            lastPosition: '1',
          } satisfies GuardReinforcementEntry,
        ],
      ]),
    );
  });

  it('given patrol visits under it, then their count and hours; the revision stays the reinforcement stream’s', () => {
    const log = history();
    const entry = project(reinforcements, log.events.slice(0, 6)).get('r-1');
    // 45 minutes with two guards, then 90 minutes with guards not given (counted as one).
    expect(entry).toMatchObject({ visits: 2, loggedHours: 2.25, loggedGuardHours: 3, revision: '1', lastPosition: '6' });
  });

  it('given an early end, then the end day, the reason, the last day it runs and the new revision', () => {
    const log = history();
    expect(project(reinforcements, log.events.slice(0, 4)).get('r-1')).toMatchObject({
      endedOn: '2025-06-15',
      endReason: 'Budget cut',
      lastDay: '2025-06-15',
      revision: '1',
      lastPosition: '4',
      visits: 1,
    });
    const documents = project(reinforcements, log.events);
    expect(documents.get('r-1')).toMatchObject({ endedOn: '2025-06-15', lastDay: '2025-06-15', revision: '1', lastPosition: '6', visits: 2 });
    expect(documents.get('r-2')).toMatchObject({ endedOn: null, lastDay: '2025-08-31', measureId: null, actionPlanId: null, revision: '0', lastPosition: '7' });
    // A visit outside any reinforcement makes no document.
    expect([...documents.keys()].sort()).toEqual(['r-1', 'r-2']);
  });

  it('given an end on the planned last day, then lastDay is that day', () => {
    const log = new TestLog();
    log.append('guardreinforcement-r-1', reinforced);
    log.append('guardreinforcement-r-1', ended('2025-08-31'));
    expect(project(reinforcements, log.events).get('r-1')).toMatchObject({ endedOn: '2025-08-31', lastDay: '2025-08-31' });
  });

  it('given an end or a visit of a reinforcement it has not seen, then nothing', () => {
    const log = new TestLog();
    const end: GuardReinforcementEnded = { ...ended(), data: { ...ended().data, reinforcementId: 'r-9' } };
    log.append('guardreinforcement-r-9', end);
    log.append('patrolvisit-v-1', visit('v-1', { reinforcementId: 'r-9' }));
    expect(project(reinforcements, log.events).size).toBe(0);
  });

  it('given the same events twice, then the documents are as after once', () => {
    const log = history();
    const once = project(reinforcements, log.events);
    const snapshot = structuredClone(once);
    expect(project(reinforcements, log.events, once)).toEqual(snapshot);
    // Also when the run is replayed from the middle, as after a crash between commits.
    expect(project(reinforcements, log.events.slice(2), project(reinforcements, log.events.slice(0, 4)))).toEqual(snapshot);
  });
});
