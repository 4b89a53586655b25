import { Module } from '@nestjs/common';
import { CommandPipeline } from './command-pipeline/command-pipeline.js';
import { IdempotencyRecords } from './command-pipeline/idempotency-records.js';
import { GetIncidentQuery } from './incident/get-incident.query.js';
import { ReclassifyIncidentHandler } from './incident/reclassify-incident.handler.js';
import { RecordIncidentHandler } from './incident/record-incident.handler.js';
import { RetractIncidentHandler } from './incident/retract-incident.handler.js';
import { DefineAreaHandler } from './registry/define-area.handler.js';
import { RegisterMunicipalityHandler } from './registry/register-municipality.handler.js';
import { RegisterPlaceHandler } from './registry/register-place.handler.js';
import { RegistryLookup } from './registry/registry.lookup.js';

const commandHandlers = [
  RegisterMunicipalityHandler,
  DefineAreaHandler,
  RegisterPlaceHandler,
  RecordIncidentHandler,
  ReclassifyIncidentHandler,
  RetractIncidentHandler,
];
const queries = [GetIncidentQuery];

/**
 * Command handlers and queries. Expects the EVENT_STORE provider from the module that imports it
 * (the app decides which adapter).
 */
@Module({
  providers: [CommandPipeline, IdempotencyRecords, RegistryLookup, ...commandHandlers, ...queries],
  exports: [CommandPipeline, RegistryLookup, ...queries],
})
export class ApplicationModule {}
