import type { SituationPictureEvent, SituationPicturePublished } from './situation-picture.events.js';

/** The publication in force (the latest) and every publication id of the period, oldest first. */
export type SituationPictureState =
  | { status: 'none' }
  | ({ status: 'published' } & SituationPicturePublished['data'] & { publicationIds: string[] });

export const situationPicture = {
  initialState: (): SituationPictureState => ({ status: 'none' }),
  evolve: (state: SituationPictureState, event: SituationPictureEvent): SituationPictureState => ({
    status: 'published',
    ...event.data,
    publicationIds: [...(state.status === 'published' ? state.publicationIds : []), event.data.publicationId],
  }),
};
