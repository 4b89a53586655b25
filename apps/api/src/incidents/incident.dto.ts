import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsObject, IsOptional, ValidateNested } from 'class-validator';
import {
  INCIDENT_CATEGORY_IDS,
  INCIDENT_SOURCES,
  type IncidentCategory,
  type IncidentSource,
  RETRACTION_REASONS,
  type RetractionReason,
} from '@app/domain';
import { IsInstant, IsSlug, IsText, LowerCasedUuid } from '../http/dto-rules.js';
import { LocationDto } from '../registry/registry.dto.js';

const categoryMessage = `$property must be one of: ${INCIDENT_CATEGORY_IDS.join(', ')}`;

export class RecordIncidentDto {
  @IsOptional() @LowerCasedUuid() @ApiProperty({ required: false, format: 'uuid', description: 'generated when left out' })
  incidentId?: string;

  @IsInstant({ example: '2024-05-10T22:15:00+02:00' }) occurredAt: string;
  @IsInstant({ optional: true, description: 'defaults to the time the command is recorded' }) reportedAt?: string;

  @IsIn(INCIDENT_CATEGORY_IDS, { message: categoryMessage })
  @ApiProperty({ enum: INCIDENT_CATEGORY_IDS })
  category: IncidentCategory;

  @IsIn(INCIDENT_SOURCES, { message: `$property must be one of: ${INCIDENT_SOURCES.join(', ')}` })
  @ApiProperty({ enum: INCIDENT_SOURCES })
  source: IncidentSource;

  @IsSlug({ optional: true, example: 'morby-centrum' }) placeId?: string;
  @IsSlug({ optional: true, example: 'centrala-danderyd' }) areaId?: string;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => LocationDto)
  @ApiProperty({ type: LocationDto, required: false })
  location?: LocationDto;

  @IsOptional() @IsBoolean() @ApiProperty({ required: false, description: 'defaults to true for source police' })
  reportedToPolice?: boolean;

  @IsText(2000, { optional: true }) description?: string;
}

export class ReclassifyIncidentDto {
  @IsIn(INCIDENT_CATEGORY_IDS, { message: categoryMessage })
  @ApiProperty({ enum: INCIDENT_CATEGORY_IDS })
  category: IncidentCategory;

  @IsText(500, { optional: true }) reason?: string;
}

export class RetractIncidentDto {
  @IsIn(RETRACTION_REASONS, { message: `$property must be one of: ${RETRACTION_REASONS.join(', ')}` })
  @ApiProperty({ enum: RETRACTION_REASONS })
  reason: RetractionReason;

  @IsOptional() @LowerCasedUuid() @ApiProperty({ required: false, format: 'uuid', description: "required when reason is 'duplicate'" })
  duplicateOf?: string;

  @IsText(2000, { optional: true }) note?: string;
}
