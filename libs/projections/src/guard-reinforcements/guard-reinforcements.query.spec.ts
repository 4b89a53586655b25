import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays, type GuardPresenceReinforced } from '@app/domain';
import { ended, reinforced } from '@app/domain/guard-presence/guard-presence.testing.js';
import { InMemoryReadStore, type PageCursor, type ReadStore, SqliteReadStore, type StoredDocument } from '@app/read-store';
import { project } from '../projection.js';
import { TestLog } from '../projector/log.testing.js';
import { type GuardReinforcementEntry, guardReinforcementsProjection as projection } from './guard-reinforcements.projection.js';
import { type GuardReinforcementFilter, getGuardReinforcement, guardReinforcementView, queryGuardReinforcements } from './guard-reinforcements.query.js';

const TODAY = '2025-06-01';
const FILLERS = 450;

const reinforcement = (reinforcementId: string, data: Partial<GuardPresenceReinforced['data']>): GuardPresenceReinforced => ({
  type: 'GuardPresenceReinforced',
  data: { ...reinforced.data, measureId: null, actionPlanId: null, reinforcementId, ...data },
});

/**
 * Danderyd, as of TODAY, latest start first: d planned (Mörby), c running (sjukhuset, of measure m-1),
 * b ended early on 20 May (both places), a ended (Mörby), 450 ended at Stocksund, z ended long ago
 * (Mörby). And one in Täby.
 */
function log(): TestLog {
  const log = new TestLog();
  log.append('guardreinforcement-a', reinforcement('a', { placeIds: ['morby-centrum'], from: '2025-01-06', to: '2025-03-30' }));
  log.append('guardreinforcement-b', reinforcement('b', { placeIds: ['morby-centrum', 'danderyds-sjukhus'], from: '2025-05-01', to: '2025-08-31' }));
  log.append('guardreinforcement-b', { ...ended('2025-05-20'), data: { ...ended('2025-05-20').data, reinforcementId: 'b' } });
  log.append('guardreinforcement-c', reinforcement('c', { placeIds: ['danderyds-sjukhus'], from: '2025-05-15', to: '2025-09-30', measureId: 'm-1', actionPlanId: 'ap-1' }));
  log.append('guardreinforcement-d', reinforcement('d', { placeIds: ['morby-centrum'], from: '2025-07-01', to: '2025-12-31' }));
  log.append('guardreinforcement-t', reinforcement('t', { municipalityId: 'taby', placeIds: ['taby-c'], from: '2025-05-01' }));
  for (let i = 0; i < FILLERS; i++) {
    const from = addDays('2023-03-01', i);
    log.append(`guardreinforcement-f${i}`, reinforcement(`f${String(i).padStart(3, '0')}`, { placeIds: ['stocksund-torg'], from, to: addDays(from, 30) }));
  }
  log.append('guardreinforcement-z', reinforcement('z', { placeIds: ['morby-centrum'], from: '2023-01-02', to: '2023-02-26' }));
  return log;
}

const stores: Array<[string, () => ReadStore, () => void]> = [
  ['in memory', () => new InMemoryReadStore(), () => {}],
  (() => {
    const dir = mkdtempSync(join(tmpdir(), 'samverkan-guard-query-'));
    return ['SQLite', () => new SqliteReadStore({ file: join(dir, 'read.sqlite') }), () => rmSync(dir, { recursive: true, force: true })] as [string, () => ReadStore, () => void];
  })(),
];

describe.each(stores)('guard reinforcements query (%s)', (_name, open, remove) => {
  let store: ReadStore;
  beforeAll(async () => {
    store = open();
    const events = log().events;
    const documents = project(projection, events);
    const { live } = await store.startBuild(projection.name, projection.version, projection.schema!);
    await store.commit(live!.collection, documents as Map<string, GuardReinforcementEntry & StoredDocument>, { expected: undefined, next: events.at(-1)!.position });
    await store.index(live!.collection);
  });
  afterAll(async () => {
    await store.close();
    remove();
  });

  const ids = async (filter: Partial<GuardReinforcementFilter>, limit = 500, after?: PageCursor) =>
    (await queryGuardReinforcements(store, { municipalityId: 'danderyd', ...filter }, TODAY, { limit, after })).items.map((item) => item.id);

  it('lists a municipality’s reinforcements, latest start first', async () => {
    const all = await ids({});
    expect(all).toHaveLength(4 + FILLERS + 1);
    expect(all.slice(0, 5)).toEqual(['d', 'c', 'b', 'a', `f${FILLERS - 1}`]);
    expect(all.at(-1)).toBe('z');
    expect(await ids({ municipalityId: 'taby' })).toEqual(['t']);
  });

  it('filters by status as of today, by the day it runs on, by place, plan and measure', async () => {
    expect(await ids({ status: 'running' })).toEqual(['c']);
    expect(await ids({ status: 'planned' })).toEqual(['d']);
    expect(await ids({ status: 'ended', placeId: 'morby-centrum' })).toEqual(['b', 'a', 'z']);
    // b was planned to the end of August, but ended on 20 May.
    expect(await ids({ activeOn: '2025-05-18' })).toEqual(['c', 'b']);
    expect(await ids({ activeOn: '2025-05-20' })).toEqual(['c', 'b']);
    expect(await ids({ activeOn: '2025-05-21' })).toEqual(['c']);
    expect(await ids({ activeOn: '2025-05-18', status: 'ended' })).toEqual(['b']);
    expect(await ids({ activeOn: '2025-07-01', status: 'running' })).toEqual(['c']);
    expect(await ids({ placeId: 'danderyds-sjukhus' })).toEqual(['c', 'b']);
    expect(await ids({ actionPlanId: 'ap-1' })).toEqual(['c']);
    expect(await ids({ measureId: 'm-1', status: 'ended' })).toEqual([]);
    expect(await ids({ placeId: 'vendevagen' })).toEqual([]);
  });

  it('pages with a cursor; a page is short only when it is the last, also when the place filter skips many rows', async () => {
    const first = await queryGuardReinforcements(store, { municipalityId: 'danderyd', placeId: 'morby-centrum' }, TODAY, { limit: 3 });
    expect(first.items.map((item) => item.id)).toEqual(['d', 'b', 'a']);
    expect(first.next).toEqual({ value: '2025-01-06', id: 'a' });
    const second = await queryGuardReinforcements(store, { municipalityId: 'danderyd', placeId: 'morby-centrum' }, TODAY, { limit: 3, after: first.next! });
    expect(second).toMatchObject({ items: [expect.objectContaining({ id: 'z' })], next: null });
    // Exactly a page left: no cursor to an empty page.
    const whole = await queryGuardReinforcements(store, { municipalityId: 'danderyd', placeId: 'morby-centrum' }, TODAY, { limit: 4 });
    expect(whole.next).toBeNull();

    const pages: string[] = [];
    let after: PageCursor | undefined;
    do {
      const page = await queryGuardReinforcements(store, { municipalityId: 'danderyd' }, TODAY, { limit: 100, after });
      pages.push(...page.items.map((item) => item.id));
      after = page.next ?? undefined;
    } while (after);
    expect(pages).toEqual(await ids({}));
  });

  it('answers one by id with its status and hours, or nothing', async () => {
    expect(await getGuardReinforcement(store, 'c', TODAY)).toMatchObject({ id: 'c', status: 'running', revision: '0' });
    expect(await getGuardReinforcement(store, 'b', TODAY)).toMatchObject({ id: 'b', status: 'ended', endedOn: '2025-05-20', endReason: 'Budget cut', lastDay: '2025-05-20', revision: '1' });
    expect(await getGuardReinforcement(store, 'nothing', TODAY)).toBeUndefined();
  });
});

describe('a reinforcement as the query shows it', () => {
  const entry = project(projection, [new TestLog().append('guardreinforcement-r-1', reinforced)]).get('r-1')!;

  it('is planned before its first day, running from it through the last, and ended after', () => {
    expect(guardReinforcementView(entry, '2025-03-02').status).toBe('planned');
    expect(guardReinforcementView(entry, '2025-03-03').status).toBe('running');
    expect(guardReinforcementView(entry, '2025-08-31').status).toBe('running');
    expect(guardReinforcementView(entry, '2025-09-01').status).toBe('ended');
    const endedEarly = { ...entry, endedOn: '2025-06-15', lastDay: '2025-06-15' };
    expect(guardReinforcementView(endedEarly, '2025-06-15').status).toBe('running');
    expect(guardReinforcementView(endedEarly, '2025-06-16').status).toBe('ended');
  });

  it('plans hoursPerWeek × days ÷ 7 through its last day, and through today so far', () => {
    // 3 March to 31 August: 182 days = 26 weeks of 20 hours.
    expect(guardReinforcementView(entry, '2025-03-02')).toMatchObject({ plannedHours: 520, plannedHoursToDate: 0 });
    // 3 to 9 March: one week.
    expect(guardReinforcementView(entry, '2025-03-09')).toMatchObject({ plannedHours: 520, plannedHoursToDate: 20 });
    expect(guardReinforcementView(entry, '2026-01-01')).toMatchObject({ plannedHours: 520, plannedHoursToDate: 520 });
    // Ended early on 15 June: 105 days.
    expect(guardReinforcementView({ ...entry, endedOn: '2025-06-15', lastDay: '2025-06-15' }, '2026-01-01')).toMatchObject({ plannedHours: 300, plannedHoursToDate: 300 });
  });

  it('rounds logged hours to two decimals', () => {
    expect(guardReinforcementView({ ...entry, loggedHours: 1 / 3, loggedGuardHours: 2 / 3 }, '2025-04-01')).toMatchObject({ loggedHours: 0.33, loggedGuardHours: 0.67 });
  });
});
