import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsNumber, Max, Min } from 'class-validator';
import { IsCalendarDate, IsIdList, IsInstant, IsSlug, IsText, LowerCasedUuid, Omittable } from '../http/dto-rules.js';

export class ReinforceGuardPresenceDto {
  @Omittable() @LowerCasedUuid() @ApiProperty({ format: 'uuid', description: 'generated when left out' })
  reinforcementId?: string;

  @IsIdList('slug', { maxItems: 50, example: ['morby-centrum'], description: 'places of one municipality' }) placeIds: string[];
  @IsCalendarDate({ example: '2025-03-03', description: 'first day' }) from: string;
  @IsCalendarDate({ example: '2025-08-31', description: 'last day (inclusive)' }) to: string;

  @IsNumber({ allowNaN: false, allowInfinity: false }) @ApiProperty({ example: 20, description: 'more than 0' })
  hoursPerWeek: number;

  @IsText(200, { example: 'Securitas' }) provider: string;
  @Omittable() @IsText(200, { example: 'Trygghetssatsning 2025' }) fundedBy?: string;

  /**
   * The action-plan measure this carries out, by its id alone (SPEC 7): the plan that holds it is
   * found through the log (MeasureLookup); it must be of the places' municipality.
   */
  @Omittable() @LowerCasedUuid() @ApiProperty({ format: 'uuid', description: 'a measure of an action plan of the same municipality' })
  measureId?: string;
}

export class EndGuardReinforcementDto {
  @IsCalendarDate({ example: '2025-06-15', description: 'the last day with reinforced presence, between from and to' }) endedOn: string;
  @Omittable() @IsText(500, { example: 'Budget cut' }) reason?: string;
}

export class LogPatrolVisitDto {
  @Omittable() @LowerCasedUuid() @ApiProperty({ format: 'uuid', description: 'generated when left out' })
  visitId?: string;

  @IsSlug({ example: 'morby-centrum' }) placeId: string;
  @IsInstant({ example: '2025-03-07T21:00:00+01:00' }) arrivedAt: string;
  @IsInstant({ example: '2025-03-07T21:40:00+01:00', description: 'after arrivedAt, not in the future' }) departedAt: string;

  @Omittable() @IsInt() @Min(1) @Max(1000) @ApiProperty({ example: 2 })
  guards?: number;

  @Omittable() @LowerCasedUuid() @ApiProperty({ format: 'uuid', description: 'the guard reinforcement the visit is part of; it must cover the place' })
  reinforcementId?: string;

  @Omittable() @IsText(2000) observations?: string;
}
