import type { ReadStore, StoredDocument } from '@app/read-store';
import type { SituationPictureDocument, SituationPictureSettings } from './situation-picture.documents.js';
import { situationPictureDocumentIds, situationPictureView } from './situation-picture.query.js';
import type { SituationPictureView } from './situation-picture.types.js';

const READ_MODEL = 'situation-picture';

/**
 * Reads the situation picture of a period from the read store, as `GET /situation-pictures/{m}/{p}`
 * answers it: the period's documents and its neighbours' in one read, the figures worked out from
 * them (`situationPictureView`).
 *
 * Working the figures out reads some fifty documents and compares twelve periods, which is most of
 * an answer's cost. So answers are kept per period, stamped with the live collection and its
 * checkpoint: while neither has moved, no document of the projection has changed, and the kept
 * answer is the answer. Any event the projection applies moves the checkpoint and the next read
 * works the figures out again. The stamp is read before the documents, so a kept answer is never
 * older than its stamp.
 */
export class SituationPictureReader {
  private readonly kept = new Map<string, { stamp: string; view: SituationPictureView }>();

  constructor(
    private readonly store: ReadStore,
    private readonly settings: Partial<SituationPictureSettings>,
    /** Periods kept (the oldest kept is dropped first). */
    private readonly capacity = 1000,
  ) {}

  /** The picture of a period; `periodStart` must start a period (see `situationPicturePeriod`). Do not change what it returns. */
  async read(municipalityId: string, periodStart: string): Promise<SituationPictureView> {
    const live = await this.store.liveCheckpoint(READ_MODEL);
    const stamp = `${live.collection}@${live.checkpoint ?? ''}`;
    const key = `${municipalityId}/${periodStart}`;
    const kept = this.kept.get(key);
    if (kept?.stamp === stamp) return kept.view;

    const ids = situationPictureDocumentIds(municipalityId, periodStart, this.settings);
    const documents = await this.store.getMany<SituationPictureDocument & StoredDocument>(READ_MODEL, ids);
    const view = situationPictureView(documents, municipalityId, periodStart, this.settings);
    this.kept.delete(key);
    this.kept.set(key, { stamp, view });
    if (this.kept.size > this.capacity) this.kept.delete(this.kept.keys().next().value!);
    return view;
  }
}
