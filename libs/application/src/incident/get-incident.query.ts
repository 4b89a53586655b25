import { Inject, Injectable } from '@nestjs/common';
import { incident, incidentStream, NotFoundError } from '@app/domain';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { fold } from '../command-pipeline/fold.js';

export interface IncidentView {
  id: string;
  municipalityId: string;
  areaId: string | null;
  placeId: string | null;
  occurredAt: string;
  reportedAt: string;
  category: string;
  source: string;
  status: 'recorded' | 'retracted';
  revision: bigint;
}

/** One incident as it stands, folded from its own stream (always current; the register read model answers lists). */
@Injectable()
export class GetIncidentQuery {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute(incidentId: string): Promise<IncidentView> {
    const events = await this.store.readStream(incidentStream(incidentId));
    const state = fold(incident, events);
    if (state.status === 'none') throw new NotFoundError('INCIDENT.NOT_FOUND', `incident ${incidentId} does not exist`);
    return {
      id: state.incidentId,
      municipalityId: state.municipalityId,
      areaId: state.areaId,
      placeId: state.placeId,
      occurredAt: state.occurredAt,
      reportedAt: state.reportedAt,
      category: state.category,
      source: state.source,
      status: state.status,
      revision: events[events.length - 1].revision,
    };
  }
}
