import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, ValidateNested } from 'class-validator';
import type { Responsible } from '@app/domain';
import { IsCalendarDate, IsResponsible, IsSlug, IsText, LowerCasedUuid, Omittable } from '../http/dto-rules.js';

export class SituationPicturePathDto {
  @IsSlug({ example: 'danderyd' }) municipality: string;
  @IsCalendarDate({ example: '2025-02-17', description: 'the first day of a 14-day period' }) periodStart: string;
}

export class AgreedActionDto {
  @IsText(500, { example: 'Extra kvällspatrull vid Mörby centrum fredagar' }) title: string;
  @IsResponsible({ example: 'police' }) responsible: Responsible;
  @IsCalendarDate({ example: '2025-03-14' }) dueDate: string;
}

export class PublishSituationPictureDto {
  @Omittable() @LowerCasedUuid() @ApiProperty({ format: 'uuid', description: 'generated when left out' })
  publicationId?: string;

  @IsArray() @ArrayMaxSize(100) @ValidateNested() @Type(() => AgreedActionDto)
  @ApiProperty({ type: [AgreedActionDto], description: 'what the group agreed to do; [] when nothing' })
  agreedActions: AgreedActionDto[];

  @Omittable() @LowerCasedUuid() @ApiProperty({ format: 'uuid', description: 'the latest publication of the period, which this one corrects' })
  corrects?: string;
}
