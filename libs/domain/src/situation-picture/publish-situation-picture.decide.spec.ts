import { describe, expect, it } from '@jest/globals';
import { given } from '../shared/decider.testing.js';
import type { MunicipalityFacts } from '../registry/registry.state.js';
import { type PublishSituationPicture, publishSituationPicture } from './publish-situation-picture.decide.js';
import { type SituationPicturePublished, situationPictureStream } from './situation-picture.events.js';
import { situationPicture } from './situation-picture.state.js';

const municipality: MunicipalityFacts = { status: 'registered', municipalityId: 'danderyd', name: 'Danderyd', policeArea: 'Södra Roslagen' };
const agreedActions: PublishSituationPicture['agreedActions'] = [
  { title: 'Extra kvällspatrull vid Mörby centrum', responsible: 'police', dueDate: '2021-04-11' },
  { title: 'Byt trasig belysning i gångtunneln', responsible: { partner: 'Danderyds fastigheter' }, dueDate: '2021-04-30' },
];
// The period 2021-03-15 – 2021-03-28 holds the start of summer time: it ends at 2021-03-29 00:00 CEST.
const command = (overrides: Partial<PublishSituationPicture> = {}): PublishSituationPicture => ({
  publicationId: 'pub-1',
  municipalityId: 'danderyd',
  periodStart: '2021-03-15',
  agreedActions,
  position: '18446744073709551615',
  municipality,
  now: new Date('2021-03-31T09:00:00Z'),
  ...overrides,
});
const published = (publicationId = 'pub-1', corrects: string | null = null, position = '18446744073709551615'): SituationPicturePublished => ({
  type: 'SituationPicturePublished',
  data: {
    publicationId,
    municipalityId: 'danderyd',
    periodStart: '2021-03-15',
    periodEnd: '2021-03-28',
    position,
    publishedAt: '2021-03-31T09:00:00.000Z',
    agreedActions,
    corrects,
  },
});

describe('publishSituationPicture', () => {
  it('publishes an ended period at the log position, with the agreed actions', () => {
    given(situationPicture).when((s) => publishSituationPicture(command(), s)).then([published()]);
    expect(situationPictureStream('danderyd', '2021-03-15')).toBe('situationpicture-danderyd-2021-03-15');
  });

  it('publishes from the midnight (Stockholm) that ends the period, not before', () => {
    given(situationPicture)
      .when((s) => publishSituationPicture(command({ now: new Date('2021-03-28T21:59:59.999Z') }), s))
      .thenThrows('SITUATION_PICTURE.PERIOD_NOT_ENDED', { periodEnd: '2021-03-28', endsAt: '2021-03-28T22:00:00.000Z' });
    given(situationPicture)
      .when((s) => publishSituationPicture(command({ now: new Date('2021-03-28T22:00:00Z'), agreedActions: [] }), s))
      .then([{ ...published(), data: { ...published().data, publishedAt: '2021-03-28T22:00:00.000Z', agreedActions: [] } }]);
  });

  it('names the start of the period that holds a date that starts none', () => {
    given(situationPicture)
      .when((s) => publishSituationPicture(command({ periodStart: '2021-03-22' }), s))
      .thenThrows('SITUATION_PICTURE.NOT_A_PERIOD_START', { periodStart: '2021-03-15' });
  });

  it('reckons periods from the anchor it is given', () => {
    given(situationPicture)
      .when((s) => publishSituationPicture(command({ periodStart: '2021-03-22', periodAnchor: '2021-01-11', now: new Date('2021-04-07T09:00:00Z') }), s))
      .then([{ ...published(), data: { ...published().data, periodStart: '2021-03-22', periodEnd: '2021-04-04', publishedAt: '2021-04-07T09:00:00.000Z' } }]);
  });

  it('publishes a period once', () => {
    given(situationPicture, [published()])
      .when((s) => publishSituationPicture(command({ publicationId: 'pub-2' }), s))
      .thenThrows('SITUATION_PICTURE.ALREADY_PUBLISHED', { publicationId: 'pub-1' });
  });

  it('publishes a correction that names the latest publication', () => {
    given(situationPicture, [published('pub-1')])
      .when((s) => publishSituationPicture(command({ publicationId: 'pub-2', corrects: 'pub-1', position: '1200' }), s))
      .then([published('pub-2', 'pub-1', '1200')]);
  });

  it('refuses to correct an earlier publication than the latest, or one that is not of the period', () => {
    given(situationPicture, [published('pub-1'), published('pub-2', 'pub-1')])
      .when((s) => publishSituationPicture(command({ publicationId: 'pub-3', corrects: 'pub-1' }), s))
      .thenThrows('SITUATION_PICTURE.NOT_LATEST_PUBLICATION', { latestPublicationId: 'pub-2' });
    given(situationPicture)
      .when((s) => publishSituationPicture(command({ corrects: 'pub-0' }), s))
      .thenThrows('SITUATION_PICTURE.UNKNOWN_PUBLICATION', { field: 'corrects', value: 'pub-0' });
  });

  it('refuses a correction under a publication id the period has', () => {
    given(situationPicture, [published('pub-1')])
      .when((s) => publishSituationPicture(command({ corrects: 'pub-1' }), s))
      .thenThrows('SITUATION_PICTURE.PUBLICATION_EXISTS', { publicationId: 'pub-1' });
  });

  it('refuses a municipality that is not registered', () => {
    given(situationPicture)
      .when((s) => publishSituationPicture(command({ municipality: undefined }), s))
      .thenThrows('SITUATION_PICTURE.UNKNOWN_MUNICIPALITY', { municipalityId: 'danderyd' });
  });

  it('names every bad agreed action field, and a position that is not one', () => {
    given(situationPicture)
      .when((s) =>
        publishSituationPicture(
          command({ agreedActions: [{ title: ' ', responsible: 'everyone' as never, dueDate: '2021-04-31' }], position: '-1' }),
          s,
        ),
      )
      .thenThrows('SITUATION_PICTURE.INVALID', {
        errors: [
          { field: 'agreedActions[0].title', message: 'must say what was agreed' },
          { field: 'agreedActions[0].responsible', message: 'must be one of police, municipality, joint or { partner }' },
          { field: 'agreedActions[0].dueDate', message: 'must be a date YYYY-MM-DD' },
          { field: 'position', message: 'must be a log position as a decimal string' },
        ],
      });
  });
});
