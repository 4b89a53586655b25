import type { DomainEvent } from '../shared/domain-event.js';
import type { Point } from '../shared/geo.js';
import type { IncidentCategory, IncidentSource, RetractionReason } from './incident.vocabulary.js';

export type IncidentRecorded = DomainEvent<
  'IncidentRecorded',
  {
    incidentId: string;
    municipalityId: string;
    areaId: string | null;
    placeId: string | null;
    location: Point | null;
    /** ISO 8601 instants. */
    occurredAt: string;
    reportedAt: string;
    category: IncidentCategory;
    source: IncidentSource;
    reportedToPolice: boolean;
    description: string | null;
  }
>;

export type IncidentReclassified = DomainEvent<
  'IncidentReclassified',
  { incidentId: string; municipalityId: string; from: IncidentCategory; to: IncidentCategory; reason: string | null }
>;

export type IncidentRetracted = DomainEvent<
  'IncidentRetracted',
  { incidentId: string; municipalityId: string; reason: RetractionReason; duplicateOf: string | null; note: string | null }
>;

export type IncidentEvent = IncidentRecorded | IncidentReclassified | IncidentRetracted;

export const incidentStream = (incidentId: string) => `incident-${incidentId}`;
