import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, Min, ValidateNested } from 'class-validator';
import { IsCalendarDate, IsSlug, IsText, LowerCasedUuid, Omittable } from '../http/dto-rules.js';

/** An aggregate: a Brå category and a count. Nothing about a person has a field here. */
export class BraCountDto {
  @IsText(200, { example: 'Bostadsinbrott' }) braCategory: string;
  @IsInt() @Min(0) @ApiProperty({ example: 14 }) count: number;
}

export class ImportPoliceStatisticsDto {
  @Omittable() @LowerCasedUuid() @ApiProperty({ format: 'uuid', description: 'generated when left out' })
  importId?: string;

  @IsSlug({ example: 'danderyd' }) municipalityId: string;
  @Omittable() @IsSlug({ example: 'djursholm', description: 'left out: the whole municipality' }) areaId?: string;
  @IsCalendarDate({ example: '2025-01-01' }) periodStart: string;
  @IsCalendarDate({ example: '2025-03-31', description: 'last day (inclusive)' }) periodEnd: string;

  @IsArray() @ArrayMaxSize(500) @ValidateNested() @Type(() => BraCountDto) @ApiProperty({ type: [BraCountDto] })
  counts: BraCountDto[];

  @Omittable() @IsText(200, { example: 'Polisens öppna statistik' }) source?: string;
}
