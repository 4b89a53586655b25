import { describe, expect, it } from '@jest/globals';
import type { GuardPresenceReinforced, GuardReinforcementEnded, SituationPicturePublished } from '@app/domain';
import { adopted, drafted, goalAdded, measureAdded, signed } from '@app/domain/action-plan/action-plan.testing.js';
import { applyEvent, project } from '../projection.js';
import { TestLog, testActor } from '../projector/log.testing.js';
import { type DecisionLogEntry, decisionLogProjection as decisionLog } from './decision-log.projection.js';

const reinforced: GuardPresenceReinforced = {
  type: 'GuardPresenceReinforced',
  data: {
    reinforcementId: 'r-1',
    municipalityId: 'danderyd',
    placeIds: ['morby-centrum'],
    from: '2025-04-01',
    to: '2025-06-30',
    hoursPerWeek: 20,
    provider: 'Securitas',
    fundedBy: 'trygghetssatsning-2025',
    measureId: 'm-1',
    actionPlanId: 'ap-1',
  },
};
const ended: GuardReinforcementEnded = {
  type: 'GuardReinforcementEnded',
  data: { reinforcementId: 'r-1', municipalityId: 'danderyd', endedOn: '2025-05-31', reason: 'budget', measureId: 'm-1', actionPlanId: 'ap-1' },
};
const published: SituationPicturePublished = {
  type: 'SituationPicturePublished',
  data: {
    publicationId: 'pub-1',
    municipalityId: 'danderyd',
    periodStart: '2025-03-03',
    periodEnd: '2025-03-16',
    position: '7',
    publishedAt: '2025-03-18T09:30:00.000Z',
    agreedActions: [
      { title: 'Extra nattvandring vid Mörby centrum', responsible: 'municipality', dueDate: '2025-03-31' },
      { title: 'Riktad kontroll av mopedtrafik', responsible: 'police', dueDate: '2025-04-15' },
    ],
    corrects: null,
  },
};

/** The whole history of one plan, a reinforcement and a publication, in this order. */
function history(): TestLog {
  const log = new TestLog();
  log.append('actionplan-ap-1', drafted, { issuedAt: '2025-02-01T08:00:00.000Z' });
  log.append('incident-1', { type: 'IncidentRecorded', data: {} });
  log.append('actionplan-ap-1', goalAdded(1));
  log.append('actionplan-ap-1', measureAdded(2));
  log.append('actionplan-ap-1', signed('police-area-chief', 2), { actor: { id: 'kalle', role: 'police-area-chief', organisation: 'polisen' } });
  log.append('actionplan-ap-1', adopted);
  log.append('guardreinforcement-r-1', reinforced);
  log.append('situationpicture-danderyd-2025-03-03', published);
  log.append('guardreinforcement-r-1', ended);
  return log;
}

const inLogOrder = (documents: Map<string, DecisionLogEntry>) =>
  [...documents.values()].sort((a, b) => Number(BigInt(a.logPosition) - BigInt(b.logPosition)) || (a.id < b.id ? -1 : 1));

describe('decision-log projection', () => {
  it('has one entry per decision and per agreed action, in log order', () => {
    const entries = inLogOrder(project(decisionLog, history().events));
    expect(entries.map((e) => [e.logPosition, e.kind])).toEqual([
      ['1', 'action-plan-drafted'],
      ['3', 'goal-added'],
      ['4', 'measure-added'],
      ['5', 'action-plan-signed'],
      ['6', 'action-plan-adopted'],
      ['7', 'guard-presence-reinforced'],
      ['8', 'situation-picture-published'],
      ['8', 'agreed-action'],
      ['8', 'agreed-action'],
      ['9', 'guard-reinforcement-ended'],
    ]);
  });

  it('records who and when: the actor, the time the log recorded it and the decision’s own time', () => {
    const log = history();
    const documents = project(decisionLog, log.events);
    const drafting = documents.get(log.events[0].id)!;
    expect(drafting).toEqual({
      id: log.events[0].id,
      municipalityId: 'danderyd',
      logPosition: '1',
      kind: 'action-plan-drafted',
      actionPlanId: 'ap-1',
      subject: { actionPlanId: 'ap-1' },
      summary: 'Action plan drafted: Handlingsplan för trygghet 2025–2026',
      actor: testActor,
      recordedAt: '2025-03-01T12:00:01.000Z',
      decidedAt: '2025-02-01T08:00:00.000Z',
      eventType: 'ActionPlanDrafted',
      stream: 'actionplan-ap-1',
      revision: '0',
      details: { title: 'Handlingsplan för trygghet 2025–2026', periodStart: '2025-01-01', periodEnd: '2026-12-31' },
      lastPosition: '1',
    });
    const signature = documents.get(log.events[4].id)!;
    expect(signature).toMatchObject({
      kind: 'action-plan-signed',
      actor: { id: 'kalle', role: 'police-area-chief', organisation: 'polisen' },
      decidedAt: '2025-02-20T10:00:00.000Z',
      recordedAt: '2025-03-01T12:00:05.000Z',
      revision: '3',
      details: { role: 'police-area-chief', name: 'Signatory police-area-chief', signedAt: '2025-02-20T10:00:00.000Z', contentRevision: 2 },
    });
    expect(documents.get(log.events[5].id)).toMatchObject({ kind: 'action-plan-adopted', decidedAt: '2025-02-25T09:00:00.000Z' });
    expect(documents.get(log.events[2].id)).toMatchObject({
      kind: 'goal-added',
      subject: { actionPlanId: 'ap-1', goalId: 'g-1' },
      details: { title: 'Färre bostadsinbrott i Djursholm', target: { value: 90, by: '2026-12-31' }, contentRevision: 1, voidsSignatures: [] },
    });
    expect(documents.get(log.events[6].id)).toMatchObject({
      kind: 'guard-presence-reinforced',
      actionPlanId: 'ap-1',
      subject: { reinforcementId: 'r-1' },
      details: { placeIds: ['morby-centrum'], from: '2025-04-01', to: '2025-06-30', hoursPerWeek: 20, measureId: 'm-1' },
    });
  });

  it('files the end of a reinforcement under the plan the reinforcement carries out', () => {
    const log = history();
    const documents = project(decisionLog, log.events);
    expect(documents.get(log.events[8].id)).toMatchObject({
      kind: 'guard-reinforcement-ended',
      actionPlanId: 'ap-1',
      subject: { reinforcementId: 'r-1' },
      details: { endedOn: '2025-05-31', reason: 'budget', measureId: 'm-1', actionPlanId: 'ap-1' },
    });
  });

  it('reads an end recorded before it named the plan as belonging to none', () => {
    const log = new TestLog();
    const { measureId: _m, actionPlanId: _p, ...before } = ended.data;
    log.append('guardreinforcement-r-1', { type: 'GuardReinforcementEnded', data: before });
    const [entry] = project(decisionLog, log.events).values();
    expect(entry).toMatchObject({ kind: 'guard-reinforcement-ended', actionPlanId: null, details: { measureId: null, actionPlanId: null } });
  });

  it('lists the agreed actions of a publication as decisions of their own, at the publication’s time', () => {
    const log = history();
    const publication = log.events[7];
    const documents = project(decisionLog, log.events);
    expect(documents.get(publication.id)).toMatchObject({
      kind: 'situation-picture-published',
      subject: { publicationId: 'pub-1', periodStart: '2025-03-03' },
      decidedAt: '2025-03-18T09:30:00.000Z',
      details: { position: '7', agreedActions: 2, corrects: null },
    });
    expect(documents.get(`${publication.id}/agreed-action/002`)).toMatchObject({
      kind: 'agreed-action',
      logPosition: '8',
      summary: 'Agreed: Riktad kontroll av mopedtrafik',
      details: { title: 'Riktad kontroll av mopedtrafik', responsible: 'police', dueDate: '2025-04-15' },
      decidedAt: '2025-03-18T09:30:00.000Z',
    });
  });

  it('makes each entry from its event alone, and every event is the first to name the entries it writes', () => {
    const log = history();
    expect(decisionLog.writeOnly).toBe(true);
    const folded = project(decisionLog, log.events);
    const named = new Set<string>();
    for (const event of log.events.filter((e) => decisionLog.eventTypes.includes(e.type))) {
      const keys = decisionLog.keys(event);
      expect(decisionLog.creates?.(event)).toBe(true);
      expect(keys.some((key) => named.has(key))).toBe(false);
      for (const key of keys) named.add(key);
      // Handed no documents, as its runner hands it none: the entries the whole history gives.
      const written = applyEvent(decisionLog, new Map(keys.map((key) => [key, undefined])), event);
      expect(written).toEqual(new Map(keys.map((key) => [key, folded.get(key)])));
    }
  });

  it('changes nothing when the same events are applied again', () => {
    const log = history();
    const once = project(decisionLog, log.events);
    expect(project(decisionLog, log.events, once)).toEqual(once);
    expect(once.size).toBe(10);
  });
});
