import { ApiExtraModels, ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsNumber, IsObject, ValidateNested } from 'class-validator';
import { INCIDENT_CATEGORY_IDS, MEASURE_KINDS, type MeasureKind, type Responsible, SIGNATORY_ROLES, type SignatoryRole } from '@app/domain';
import { IsCalendarDate, IsIdList, IsInstant, IsResponsible, IsSlug, IsText, LowerCasedUuid, Omittable } from '../http/dto-rules.js';

const finite = { allowNaN: false, allowInfinity: false };

export class DraftActionPlanDto {
  @Omittable() @LowerCasedUuid() @ApiProperty({ format: 'uuid', description: 'generated when left out' })
  actionPlanId?: string;

  @IsSlug({ example: 'danderyd' }) municipalityId: string;
  @IsText(200, { example: 'Handlingsplan för trygghet 2025–2026' }) title: string;
  @IsCalendarDate({ example: '2025-01-01', description: '1 January of the first of the two years' }) periodStart: string;
  @IsCalendarDate({ example: '2026-12-31', description: '31 December of the second year' }) periodEnd: string;
}

export const INDICATOR_KINDS = ['incident-count', 'survey'] as const;

/** The `kind` picks the shape (see the subclasses); an unknown kind is refused on `indicator.kind`. */
export class GoalIndicatorDto {
  @IsIn(INDICATOR_KINDS, { message: `$property must be one of: ${INDICATOR_KINDS.join(', ')}` })
  @ApiProperty({ enum: INDICATOR_KINDS })
  kind: (typeof INDICATOR_KINDS)[number];
}

export class IncidentCountIndicatorDto extends GoalIndicatorDto {
  @IsArray()
  @ArrayMaxSize(INCIDENT_CATEGORY_IDS.length)
  @IsIn(INCIDENT_CATEGORY_IDS, { each: true, message: `$property must hold incident categories: ${INCIDENT_CATEGORY_IDS.join(', ')}` })
  @ApiProperty({ type: 'array', items: { type: 'string', enum: INCIDENT_CATEGORY_IDS }, example: ['burglary-residential'] })
  categories: string[];

  @Omittable() @IsIdList('slug', { maxItems: 50, description: 'the areas counted; left out: the whole municipality' }) areaIds?: string[];
  @Omittable() @IsIdList('slug', { maxItems: 50, description: 'the places counted' }) placeIds?: string[];
}

export class SurveyIndicatorDto extends GoalIndicatorDto {
  @IsText(200, { example: 'Otrygg utomhus sent på kvällen', description: 'the survey indicator, as survey results name it' }) indicator: string;
  @Omittable() @IsSlug({ example: 'djursholm', description: 'left out: the whole municipality' }) areaId?: string;
}

export class BaselineDto {
  @IsNumber(finite) @ApiProperty({ example: 120 }) value: number;
  @IsCalendarDate({ example: '2023-01-01' }) from: string;
  @IsCalendarDate({ example: '2024-12-31' }) to: string;
}

export class TargetDto {
  @IsNumber(finite) @ApiProperty({ example: 90 }) value: number;
  @IsCalendarDate({ example: '2026-12-31' }) by: string;
}

@ApiExtraModels(IncidentCountIndicatorDto, SurveyIndicatorDto)
export class AddGoalDto {
  @Omittable() @LowerCasedUuid() @ApiProperty({ format: 'uuid', description: 'generated when left out' })
  goalId?: string;

  @IsText(200, { example: 'Färre bostadsinbrott i Djursholm' }) title: string;

  @IsObject()
  @ValidateNested()
  @Type(() => GoalIndicatorDto, {
    discriminator: {
      property: 'kind',
      subTypes: [
        { value: IncidentCountIndicatorDto, name: 'incident-count' },
        { value: SurveyIndicatorDto, name: 'survey' },
      ],
    },
    keepDiscriminatorProperty: true,
  })
  @ApiProperty({ oneOf: [{ $ref: getSchemaPath(IncidentCountIndicatorDto) }, { $ref: getSchemaPath(SurveyIndicatorDto) }] })
  indicator: IncidentCountIndicatorDto | SurveyIndicatorDto;

  @IsObject() @ValidateNested() @Type(() => BaselineDto) @ApiProperty({ type: BaselineDto })
  baseline: BaselineDto;

  @IsObject() @ValidateNested() @Type(() => TargetDto) @ApiProperty({ type: TargetDto })
  target: TargetDto;
}

export class AddMeasureDto {
  @Omittable() @LowerCasedUuid() @ApiProperty({ format: 'uuid', description: 'generated when left out' })
  measureId?: string;

  @IsText(200, { example: 'Grannsamverkan i Djursholm' }) title: string;

  @IsIn(MEASURE_KINDS, { message: `$property must be one of: ${MEASURE_KINDS.join(', ')}` })
  @ApiProperty({ enum: MEASURE_KINDS })
  kind: MeasureKind;

  @IsResponsible({ example: 'joint' }) responsible: Responsible;

  @Omittable() @IsIdList('uuid', { maxItems: 50, description: 'goals of this plan that the measure serves' }) goalIds?: string[];
}

export class SignActionPlanDto {
  @IsIn(SIGNATORY_ROLES, { message: `$property must be one of: ${SIGNATORY_ROLES.join(', ')}` })
  @ApiProperty({ enum: SIGNATORY_ROLES })
  role: SignatoryRole;

  @IsText(200, { example: 'Eva Ek' }) name: string;
  @Omittable() @IsInstant({ description: 'when it was signed; now when left out' }) signedAt?: string;
}

export class AdoptActionPlanDto {
  @Omittable() @IsInstant({ description: 'when it was adopted; now when left out' }) adoptedAt?: string;
}
