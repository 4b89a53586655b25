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

/**
 * The incident as it stood just before a correction: what a read model needs to take back what the
 * incident counted for (its period and day, hour, category, area, place, source, late or not)
 * without keeping a document per incident.
 */
export interface CorrectedIncident {
  /** ISO 8601 instants, as recorded. */
  occurredAt: string;
  reportedAt: string;
  /** The category before this correction (for a retraction: the one it was counted under). */
  category: IncidentCategory;
  areaId: string | null;
  placeId: string | null;
  source: IncidentSource;
}

export type IncidentReclassified = DomainEvent<
  'IncidentReclassified',
  { incidentId: string; municipalityId: string; from: IncidentCategory; to: IncidentCategory; reason: string | null; incident: CorrectedIncident }
>;

export type IncidentRetracted = DomainEvent<
  'IncidentRetracted',
  { incidentId: string; municipalityId: string; reason: RetractionReason; duplicateOf: string | null; note: string | null; incident: CorrectedIncident }
>;

export type IncidentEvent = IncidentRecorded | IncidentReclassified | IncidentRetracted;

export const incidentStream = (incidentId: string) => `incident-${incidentId}`;
