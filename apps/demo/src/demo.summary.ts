import type { Settings } from '@app/config';
import type { EventStore } from '@app/event-store';
import { allProjections, type GoalProgressView, Projector, readGoalProgress, SituationPictureReader, type SituationPictureView } from '@app/projections';
import type { ReadStore } from '@app/read-store';
import { MUNICIPALITY, PLACES } from './danderyd.geography.js';
import type { DemoRunResult } from './demo.runner.js';
import { type DemoScript, STEP_KINDS } from './demo.script.js';

type ProjectionSettings = Pick<Settings, 'situationPeriodAnchor' | 'reportingTimeZone'>;

/** The read models already hold documents of a log: after a demo into an empty log they would be wrong. */
export class StaleReadModelsError extends Error {
  constructor(readonly projections: string[]) {
    super(`the read store already holds read models (${projections.join(', ')}) of another log; point DATA_DIR at a new directory`);
    this.name = 'StaleReadModelsError';
  }
}

/** Refuses a read store whose projections have applied events: they belong to some other log. */
export async function assertReadModelsEmpty(readStore: ReadStore): Promise<void> {
  const filled: string[] = [];
  for (const record of await readStore.projections()) {
    if (record.live && (await readStore.checkpoint(record.live.collection)) !== undefined) filled.push(record.name);
  }
  if (filled.length > 0) throw new StaleReadModelsError(filled);
}

/**
 * Runs every projection over the log until it has reached the head, so that the API answers at once
 * when it starts (its projector resumes from these checkpoints). Answers how long it took.
 */
export async function catchUpReadModels(eventStore: EventStore, readStore: ReadStore, settings: ProjectionSettings, timeoutMs = 300_000): Promise<number> {
  const started = performance.now();
  const projector = new Projector(eventStore, readStore, allProjections(settings));
  await projector.start();
  try {
    const head = await eventStore.headPosition();
    if (head === undefined) return performance.now() - started;
    const pending = new Set((await projector.status()).map((status) => status.name));
    while (pending.size > 0) {
      for (const name of [...pending]) if (await projector.waitFor(name, head, 250)) pending.delete(name);
      // A projection that throws stops where it failed: say so rather than wait for the timeout.
      const failing = (await projector.status()).find((status) => status.state === 'failing');
      if (failing) throw new Error(`the ${failing.name} projection failed: ${failing.live?.failure?.error ?? 'see its status'}`);
      if (pending.size > 0 && performance.now() - started > timeoutMs) {
        throw new Error(`the projections ${[...pending].join(', ')} did not reach position ${head} within ${timeoutMs} ms`);
      }
    }
  } finally {
    await projector.stop();
  }
  return performance.now() - started;
}

/** The situation picture as `GET /situation-pictures/{municipality}/{periodStart}` answers it. */
export function situationPicture(readStore: ReadStore, settings: ProjectionSettings, periodStart: string): Promise<SituationPictureView> {
  const periodSettings = { anchor: settings.situationPeriodAnchor, timeZone: settings.reportingTimeZone };
  return new SituationPictureReader(readStore, periodSettings).read(MUNICIPALITY.municipalityId, periodStart);
}

/** The plan's progress as `GET /action-plans/{id}/progress` answers it; null until it is adopted. */
export async function goalProgress(readStore: ReadStore, settings: ProjectionSettings, actionPlanId: string, now = new Date()): Promise<GoalProgressView | null> {
  const answer = await readGoalProgress(readStore, actionPlanId, now, { timeZone: settings.reportingTimeZone });
  return answer.found === 'progress' ? answer.view : null;
}

const number = (n: number) => n.toLocaleString('sv-SE');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const signed = (n: number) => (n > 0 ? `+${number(n)}` : number(n));
const percent = (p: number | null) => (p === null ? '' : ` (${p > 0 ? '+' : ''}${number(p)} %)`);
const placeName = (placeId: string) => PLACES.find((p) => p.placeId === placeId)?.name ?? placeId;

export interface SummaryInput {
  script: DemoScript;
  run: DemoRunResult;
  readModelsMs: number | null;
  picture: SituationPictureView | null;
  progress: GoalProgressView | null;
  port: number;
}

/** What the demo wrote, how long it took, what the read models show, and where to look. */
export function summaryLines({ script, run, readModelsMs, picture, progress, port }: SummaryInput): string[] {
  const lines: string[] = [];
  const kinds = STEP_KINDS.filter((kind) => run.counts[kind] > 0).map((kind) => `${number(run.counts[kind])} ${kind}`);
  lines.push(`Danderyd demo: ${number(run.commands)} commands through the command bus in ${seconds(run.elapsedMs)}, log head at position ${run.headPosition ?? 0}.`);
  lines.push(`  ${kinds.join(', ')}`);
  if (readModelsMs !== null) lines.push(`Read models caught up in ${seconds(readModelsMs)}.`);

  if (picture) {
    const p = picture;
    lines.push('', `Situation picture ${p.periodStart} – ${p.periodEnd}${p.published ? `, published ${p.published.publishedAt.slice(0, 10)}` : ''}:`);
    lines.push(
      `  ${number(p.total)} incidents; previous period ${signed(p.previous.change)}${percent(p.previous.changePercent)}, ` +
        `same period last year ${signed(p.lastYear.change)}${percent(p.lastYear.changePercent)}, mean of 12 periods ${p.baseline.total}`,
    );
    const top = Object.entries(p.byPlace).sort((a, b) => b[1] - a[1]).slice(0, 4);
    if (top.length > 0) lines.push(`  places: ${top.map(([id, n]) => `${placeName(id)} ${n}`).join(', ')}`);
    const categories = Object.entries(p.byCategory).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]).slice(0, 5);
    lines.push(`  categories: ${categories.map(([c, n]) => `${c} ${n}`).join(', ')}`);
    for (const r of p.reinforcements) lines.push(`  guards at ${r.placeIds.map(placeName).join(', ')}: ${r.plannedHours} h planned, ${r.loggedHours} h logged in ${r.visits} visits`);
    for (const s of p.sources.filter((source) => source.silent)) lines.push(`  silent source: ${s.source}`);
    lines.push(`  late reports ${p.dataQuality.lateReports}, without a place ${p.dataQuality.withoutPlace}, hotspots ${p.hotspots.length}`);
    for (const action of p.published?.agreedActions ?? []) lines.push(`  agreed: ${action.title} (by ${action.dueDate})`);
  }

  if (progress) {
    lines.push('', `${progress.title} (adopted ${progress.adoptedAt?.slice(0, 10)}):`);
    for (const g of progress.goals) {
      const latest = g.latest ? `${g.latest.value} in ${g.latest.from} – ${g.latest.to}` : 'no value yet';
      lines.push(`  ${g.status.padEnd(12)} ${g.title}: baseline ${g.baseline.value}, target ${g.target.value}, latest ${latest}`);
    }
  }

  const base = `http://localhost:${port}`;
  lines.push('', 'Look at it: start the API on the same DATA_DIR (npm start), then open');
  if (script.showcasePeriod) lines.push(`  ${base}/situation-pictures/${MUNICIPALITY.municipalityId}/${script.showcasePeriod}`);
  lines.push(`  ${base}/situation-pictures/${MUNICIPALITY.municipalityId}?from=2022-08-01&to=2022-11-20`);
  lines.push(`  ${base}/action-plans/${script.actionPlanId}`);
  lines.push(`  ${base}/action-plans/${script.actionPlanId}/progress`);
  lines.push(`  ${base}/incidents?municipalityId=${MUNICIPALITY.municipalityId}&placeId=morby-centrum&from=2022-06-01&to=2022-06-30`);
  lines.push(`  ${base}/audit/decisions?municipalityId=${MUNICIPALITY.municipalityId}&actionPlanId=${script.actionPlanId}`);
  lines.push(`  ${base}/docs`);
  return lines;
}
