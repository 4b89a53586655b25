import { describe, expect, it } from '@jest/globals';
import type { IncidentReclassified, IncidentRecorded, IncidentRetracted } from '@app/domain';
import { applyEvent, project } from '../projection.js';
import { TestLog } from '../projector/log.testing.js';
import { incidentRegisterProjection as register } from './incident-register.projection.js';

const recorded = (incidentId: string, overrides: Partial<IncidentRecorded['data']> = {}): IncidentRecorded => ({
  type: 'IncidentRecorded',
  data: {
    incidentId,
    municipalityId: 'danderyd',
    areaId: 'centrala-danderyd',
    placeId: 'morby-centrum',
    location: null,
    occurredAt: '2024-05-10T22:15:00+02:00',
    reportedAt: '2024-05-11T08:00:00+02:00',
    category: 'vandalism',
    source: 'security-guards',
    reportedToPolice: false,
    description: 'Krossad glasruta',
    ...overrides,
  },
});
/** What a correction carries of an incident `recorded` with its defaults, in `category`. */
const asRecorded = (category: IncidentRecorded['data']['category']) => {
  const { occurredAt, reportedAt, areaId, placeId, source } = recorded('').data;
  return { occurredAt, reportedAt, category, areaId, placeId, source };
};
const reclassified = (incidentId: string, from: IncidentReclassified['data']['from'], to: IncidentReclassified['data']['to']): IncidentReclassified => ({
  type: 'IncidentReclassified',
  data: { incidentId, municipalityId: 'danderyd', from, to, reason: null, incident: asRecorded(from) },
});
const retracted = (incidentId: string, category: IncidentRecorded['data']['category'] = 'vandalism'): IncidentRetracted => ({
  type: 'IncidentRetracted',
  data: { incidentId, municipalityId: 'danderyd', reason: 'recorded-in-error', duplicateOf: null, note: null, incident: asRecorded(category) },
});

describe('incident-register projection', () => {
  it('lists a recorded incident with its times in UTC, its stream revision and the position it last saw', () => {
    const log = new TestLog();
    log.append('place-x', { type: 'Unrelated', data: {} });
    log.append('incident-a', recorded('a'));
    expect(project(register, log.events)).toEqual(
      new Map([
        [
          'a',
          {
            id: 'a',
            municipalityId: 'danderyd',
            areaId: 'centrala-danderyd',
            placeId: 'morby-centrum',
            occurredAt: '2024-05-10T20:15:00.000Z',
            reportedAt: '2024-05-11T06:00:00.000Z',
            category: 'vandalism',
            source: 'security-guards',
            status: 'recorded',
            revision: '0',
            lastPosition: '2',
          },
        ],
      ]),
    );
  });

  it('follows reclassifications and a retraction, each incident on its own', () => {
    const log = new TestLog();
    log.append('incident-a', recorded('a'));
    log.append('incident-b', recorded('b', { areaId: null, placeId: null, category: 'graffiti', source: 'citizen' }));
    log.append('incident-a', reclassified('a', 'vandalism', 'graffiti'));
    log.append('incident-a', retracted('a', 'graffiti'));
    const documents = project(register, log.events);
    expect(documents.get('a')).toMatchObject({ category: 'graffiti', status: 'retracted', revision: '2', lastPosition: '4' });
    expect(documents.get('b')).toMatchObject({ areaId: null, placeId: null, category: 'graffiti', source: 'citizen', status: 'recorded', revision: '0', lastPosition: '2' });
  });

  it('makes each entry from its event alone: a correction handed no document gives the entry the whole history gives', () => {
    const log = new TestLog();
    log.append('incident-a', recorded('a'));
    log.append('incident-a', reclassified('a', 'vandalism', 'graffiti'));
    log.append('incident-a', retracted('a', 'graffiti'));
    expect(register.writeOnly).toBe(true);
    for (let i = 1; i < log.events.length; i++) {
      const event = log.events[i];
      const folded = project(register, log.events.slice(0, i + 1)).get('a');
      expect(new Map(applyEvent(register, new Map([['a', undefined]]), event))).toEqual(new Map([['a', folded]]));
    }
    expect(project(register, log.events).get('a')).toMatchObject({ category: 'graffiti', status: 'retracted', occurredAt: '2024-05-10T20:15:00.000Z', revision: '2' });
  });

  it('creates an entry with the first event of its incident, a recording, and with no other', () => {
    const log = new TestLog();
    log.append('incident-a', recorded('a'));
    log.append('incident-a', reclassified('a', 'vandalism', 'graffiti'));
    log.append('incident-a', retracted('a', 'graffiti'));
    expect(log.events.map((event) => [event.revision, register.creates?.(event)])).toEqual([
      [0n, true],
      [1n, false],
      [2n, false],
    ]);
  });

  it('changes nothing when the same events are applied again', () => {
    const log = new TestLog();
    log.append('incident-a', recorded('a'));
    log.append('incident-b', recorded('b'));
    log.append('incident-a', reclassified('a', 'vandalism', 'drugs'));
    log.append('incident-b', retracted('b'));
    const once = project(register, log.events);
    const twice = project(register, log.events, once);
    expect(twice).toEqual(once);
    // And event by event: an event the document has seen is not handed to evolve again.
    const [first] = log.events;
    expect(applyEvent(register, new Map([['a', once.get('a')]]), first)).toEqual(new Map());
  });

  it('declares the fields its queries use', () => {
    const documents = project(register, new TestLog().events);
    expect(documents.size).toBe(0);
    expect(Object.keys(register.schema!.fields).sort()).toEqual(['areaId', 'category', 'municipalityId', 'occurredAt', 'placeId', 'source', 'status']);
  });
});
