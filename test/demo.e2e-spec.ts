import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fold } from '@app/application';
import { loadSettings, type Settings } from '@app/config';
import { actionPlan, actionPlanStream, localDateOf, SIGNATORY_ROLES } from '@app/domain';
import { type EventStore, SqliteEventStore, streamCategory } from '@app/event-store';
import { type ReadStore, SqliteReadStore } from '@app/read-store';
import { DemoModule } from '../apps/demo/src/demo.module.js';
import { DemoRefusedError, type DemoRunResult, runDemo } from '../apps/demo/src/demo.runner.js';
import { type DemoScript, demoScript, local } from '../apps/demo/src/demo.script.js';
import { assertReadModelsEmpty, catchUpReadModels, goalProgress, situationPicture, StaleReadModelsError } from '../apps/demo/src/demo.summary.js';

/**
 * The demo generator on a SQLite store in a temporary DATA_DIR, over a shortened history (from the
 * goals' baseline year to the first weeks of the guard reinforcement, at a third of the rates) so it
 * takes seconds; then the read models, projected by the projections of @app/projections.
 */
describe('the Danderyd demo', () => {
  const range = { from: '2019-10-01', to: '2021-05-31', scale: 0.3 };
  // Mon 26 April – Sun 9 May 2021: guards at Mörby centrum since 12 April, published on Wednesday 12 May.
  const period = '2021-04-26';
  const periodEnd = '2021-05-09';
  let dataDir: string;
  let settings: Settings;
  let store: EventStore;
  let readStore: ReadStore;
  let app: INestApplicationContext;
  let script: DemoScript;
  let run: DemoRunResult;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'samverkan-demo-'));
    settings = loadSettings({ DATA_DIR: dataDir, LOG_LEVEL: 'error' });
    store = new SqliteEventStore({ file: join(dataDir, 'events.sqlite') });
    readStore = new SqliteReadStore({ file: join(dataDir, 'read.sqlite') });
    app = await NestFactory.createApplicationContext(DemoModule.forRoot(settings, { store, readStore }), { logger: false });
    script = demoScript({ ...range, periodAnchor: settings.situationPeriodAnchor });
    run = await runDemo(app.get(CommandBus), store, script);
    await catchUpReadModels(store, readStore, settings);
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is the same history on every run', () => {
    const again = demoScript({ ...range, periodAnchor: settings.situationPeriodAnchor });
    const shape = (s: DemoScript) => JSON.stringify(s.steps.map(({ at, kind, command }) => [at, kind, command]));
    expect(shape(again)).toBe(shape(script));
  });

  it('sends every command of the script and refuses to run again on the store it filled', async () => {
    expect(run.commands).toBe(script.steps.length);
    expect(run.counts.incident).toBeGreaterThan(500);
    expect(run.counts.retraction).toBeGreaterThan(0);
    expect(run.counts.reclassification).toBeGreaterThan(0);
    expect(run.counts['patrol-visit']).toBeGreaterThan(30);
    const head = await store.headPosition();
    await expect(runDemo(app.get(CommandBus), store, script)).rejects.toBeInstanceOf(DemoRefusedError);
    expect(await store.headPosition()).toBe(head);
    await expect(assertReadModelsEmpty(readStore)).rejects.toBeInstanceOf(StaleReadModelsError);
  });

  it('writes the registry, the incidents, the plan, the reinforcement and the publications as their streams', async () => {
    const streams = new Set((await store.readAll()).map((event) => event.stream));
    const byCategory = (category: string) => [...streams].filter((stream) => streamCategory(stream) === category);
    expect(byCategory('municipality')).toEqual(['municipality-danderyd']);
    expect(byCategory('area').sort()).toEqual(['area-centrala-danderyd', 'area-djursholm', 'area-enebyberg', 'area-stocksund']);
    expect(byCategory('place')).toEqual(expect.arrayContaining(['place-morby-centrum', 'place-danderyds-sjukhus', 'place-danderyds-sjukhus-bussterminal', 'place-djursholms-osby']));
    expect(byCategory('place').length).toBeGreaterThanOrEqual(12);
    expect(byCategory('incident')).toHaveLength(run.counts.incident);
    expect(byCategory('patrolvisit')).toHaveLength(run.counts['patrol-visit']);
    expect(byCategory('actionplan')).toEqual([actionPlanStream(script.actionPlanId)]);
    expect(byCategory('guardreinforcement')).toHaveLength(1);
    expect(byCategory('survey').length).toBe(5);
    expect(byCategory('policestatistics').length).toBeGreaterThanOrEqual(18);
    expect(byCategory('situationpicture')).toContain(`situationpicture-danderyd-${period}`);
  });

  it('adopts the action plan with all three signatures on its last revision, after one was voided', async () => {
    const events = await store.readStream(actionPlanStream(script.actionPlanId));
    const plan = fold(actionPlan, events);
    expect(plan.status).toBe('adopted');
    if (plan.status !== 'adopted') return;
    expect(plan.signatures.map((s) => s.role).sort()).toEqual([...SIGNATORY_ROLES].sort());
    expect(plan.signatures.every((s) => s.revision === plan.contentRevision)).toBe(true);
    expect(plan.goals).toHaveLength(4);
    expect(plan.measures).toHaveLength(6);
    expect(events.filter((e) => e.type === 'ActionPlanSigned')).toHaveLength(4);
    expect(events.some((e) => e.type === 'MeasureAdded' && (e.data as { voidsSignatures: unknown[] }).voidsSignatures.length === 1)).toBe(true);
  });

  it('shows a situation picture of a known period with the figures of the incidents sent', async () => {
    const end = local('2021-06-01', 0).getTime();
    const retracted = new Set(script.incidents.retractions.filter((r) => r.at.getTime() < end).map((r) => r.incidentId));
    const expected = script.incidents.incidents.filter((i) => {
      const date = localDateOf(i.occurredAt, 'Europe/Stockholm');
      return i.reportedAt.getTime() < end && !retracted.has(i.incidentId) && date >= period && date <= periodEnd;
    });
    const picture = await situationPicture(readStore, settings, period);

    expect(picture).toMatchObject({ municipalityId: 'danderyd', periodStart: period, periodEnd });
    expect(picture.total).toBe(expected.length);
    expect(picture.total).toBeGreaterThan(10);
    expect(Object.values(picture.byCategory).reduce((a, b) => a + b, 0)).toBe(picture.total);
    expect(picture.weekdayHour.flat().reduce((a, b) => a + b, 0)).toBe(picture.total);
    expect(picture.byPlace['morby-centrum']).toBe(expected.filter((i) => i.atPlace === 'morby-centrum').length);
    expect(picture.lastYear.total).toBeGreaterThan(0);
    expect(picture.sources.filter((s) => s.count > 0).length).toBeGreaterThanOrEqual(3);
    const [guards] = picture.reinforcements;
    expect(guards).toMatchObject({ placeIds: ['morby-centrum'], hoursPerWeek: 42, plannedHours: 84, daysInPeriod: 14 });
    expect(guards.visits).toBeGreaterThanOrEqual(10);
    expect(guards.loggedHours).toBeGreaterThan(60);
    // The April figures were imported in May, after the publication: live, not frozen.
    expect(picture.policeStatistics.map((s) => s.periodStart)).toEqual(['2021-04-01']);
    expect(picture.policeStatistics[0].total).toBeGreaterThan(0);
    expect(picture.published).not.toBeNull();
    expect(picture.published!.publishedAt).toBe(local('2021-05-12', 9, 30).toISOString());
    expect(picture.published!.agreedActions.length).toBeGreaterThan(0);
    expect(picture.published!.policeStatistics).toEqual([]);
  });

  it('shows the progress of the plan: counted goals with values, the survey goal without a second survey yet', async () => {
    const progress = await goalProgress(readStore, settings, script.actionPlanId, local('2021-06-01', 12));
    expect(progress).not.toBeNull();
    const [morby, burglary, vehicles, survey] = progress!.goals;
    for (const goal of [morby, burglary, vehicles]) {
      expect(goal.baseline.value).toBeGreaterThan(0);
      expect(goal.target.value).toBeLessThan(goal.baseline.value);
      expect(goal.latest).toMatchObject({ from: '2020-05-31', to: '2021-05-31' });
      expect(goal.latest!.value).toBeGreaterThan(0);
      expect(['achieved', 'inconclusive', 'on-track', 'off-track']).toContain(goal.status);
    }
    expect(survey).toMatchObject({ status: 'no-data', latest: null, baseline: expect.objectContaining({ value: 0.58 }) });
  });
});
