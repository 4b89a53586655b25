import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsNumber, Max, Min, ValidateNested } from 'class-validator';
import type { SurveyValueKind } from '@app/domain';
import { IsSlug, IsText, Omittable } from '../http/dto-rules.js';

const VALUE_KINDS = ['share', 'mean'] as const;

export class SurveyResultDto {
  @IsText(200, { example: 'Otrygg utomhus sent på kvällen' }) indicator: string;
  @IsNumber({ allowNaN: false, allowInfinity: false }) @ApiProperty({ example: 0.27, description: "a share in [0, 1] unless kind is 'mean'" })
  value: number;
  @IsInt() @Min(1) @ApiProperty({ example: 812 }) respondents: number;

  @Omittable()
  @IsIn(VALUE_KINDS, { message: `$property must be one of: ${VALUE_KINDS.join(', ')}` })
  @ApiProperty({ enum: VALUE_KINDS, description: "default 'share'" })
  kind?: SurveyValueKind;
}

export class RecordSurveyResultsDto {
  @IsSlug({ example: 'trygghetsmatning-2024', description: 'chosen by the client (a slug, or a lower-case UUID); a correction is a new survey' })
  surveyId: string;

  @IsSlug({ example: 'danderyd' }) municipalityId: string;
  @Omittable() @IsSlug({ example: 'djursholm', description: 'left out: the whole municipality' }) areaId?: string;
  @IsInt() @Min(1900) @Max(9999) @ApiProperty({ example: 2024 }) year: number;

  @IsArray() @ArrayMaxSize(200) @ValidateNested() @Type(() => SurveyResultDto) @ApiProperty({ type: [SurveyResultDto] })
  results: SurveyResultDto[];
}
