import { Inject, Injectable } from '@nestjs/common';
import {
  area,
  type AreaFacts,
  type AreaDefined,
  areaStream,
  boundaryContains,
  municipality,
  type MunicipalityFacts,
  municipalityStream,
  place,
  type PlaceFacts,
  placeStream,
  type Point,
} from '@app/domain';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { fold } from '../command-pipeline/fold.js';

/**
 * The facts about municipalities, areas and places that other commands check against, read from
 * their own streams. Registry entities are written once and never change, so a found entity is
 * cached for good; an absent one is looked up again next time.
 */
@Injectable()
export class RegistryLookup {
  private readonly municipalities = new Map<string, MunicipalityFacts>();
  private readonly areas = new Map<string, AreaFacts>();
  private readonly places = new Map<string, PlaceFacts>();
  /** Areas with a boundary, in the order they were defined, caught up from the log on use. */
  private readonly bounded: AreaFacts[] = [];
  private boundedAfter: bigint | undefined;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async municipality(id: string): Promise<MunicipalityFacts | undefined> {
    return this.cached(this.municipalities, id, async () => {
      const state = fold(municipality, await this.store.readStream(municipalityStream(id)));
      return state.status === 'registered' ? state : undefined;
    });
  }

  async area(id: string): Promise<AreaFacts | undefined> {
    return this.cached(this.areas, id, async () => {
      const state = fold(area, await this.store.readStream(areaStream(id)));
      return state.status === 'defined' ? state : undefined;
    });
  }

  async place(id: string): Promise<PlaceFacts | undefined> {
    return this.cached(this.places, id, async () => {
      const state = fold(place, await this.store.readStream(placeStream(id)));
      return state.status === 'registered' ? state : undefined;
    });
  }

  /** The areas whose boundary holds the point, oldest first. */
  async areasContaining(point: Point): Promise<AreaFacts[]> {
    for (;;) {
      const page = await this.store.readAll({ after: this.boundedAfter, maxCount: 1000, filter: { eventTypes: ['AreaDefined'] } });
      for (const event of page) {
        const data = event.data as AreaDefined['data'];
        if (data.boundary) this.bounded.push({ status: 'defined', ...data });
        this.boundedAfter = event.position;
      }
      if (page.length < 1000) break;
    }
    return this.bounded.filter((a) => a.boundary && boundaryContains(a.boundary, point));
  }

  private async cached<T>(cache: Map<string, T>, id: string, load: () => Promise<T | undefined>): Promise<T | undefined> {
    const hit = cache.get(id);
    if (hit) return hit;
    const loaded = await load();
    if (loaded) cache.set(id, loaded);
    return loaded;
  }
}
