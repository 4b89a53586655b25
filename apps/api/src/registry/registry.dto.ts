import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsNumber, IsObject, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import type { Boundary } from '@app/domain';
import { IsSlug, IsText } from '../http/dto-rules.js';

export class RegisterMunicipalityDto {
  @IsSlug({ example: 'danderyd' }) municipalityId: string;
  @IsText(200, { example: 'Danderyds kommun' }) name: string;
  @IsText(200, { optional: true, example: 'Lokalpolisområde Södra Roslagen' }) policeArea?: string;
}

export class GeoJsonBoundaryDto {
  @IsIn(['Polygon', 'MultiPolygon'])
  @ApiProperty({ enum: ['Polygon', 'MultiPolygon'] })
  type: 'Polygon' | 'MultiPolygon';

  // The nesting depends on the type; the domain checks the rings (AREA.INVALID_BOUNDARY).
  @ApiProperty({ type: 'array', items: {}, description: 'GeoJSON coordinates, [lon, lat] positions' })
  @IsArray()
  coordinates: unknown;
}

export class DefineAreaDto {
  @IsSlug({ example: 'djursholm' }) areaId: string;
  @IsSlug({ example: 'danderyd' }) municipalityId: string;
  @IsText(200, { example: 'Djursholm' }) name: string;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => GeoJsonBoundaryDto)
  @ApiProperty({ type: GeoJsonBoundaryDto, required: false })
  boundary?: GeoJsonBoundaryDto;
}

export class LocationDto {
  @Min(-90) @Max(90) @IsNumber({ allowNaN: false, allowInfinity: false }) @ApiProperty({ example: 59.3983 }) lat: number;
  @Min(-180) @Max(180) @IsNumber({ allowNaN: false, allowInfinity: false }) @ApiProperty({ example: 18.0357 }) lon: number;
}

export class RegisterPlaceDto {
  @IsSlug({ example: 'morby-centrum' }) placeId: string;
  @IsSlug({ example: 'centrala-danderyd' }) areaId: string;
  @IsText(200, { example: 'Mörby centrum' }) name: string;

  @IsObject()
  @ValidateNested()
  @Type(() => LocationDto)
  @ApiProperty({ type: LocationDto })
  location: LocationDto;

  @IsOptional() @IsInt() @Min(1) @Max(10_000) @ApiProperty({ required: false, example: 200, description: 'default 150' })
  radiusMeters?: number;

  @IsText(64, { optional: true, example: 'shopping-centre' }) kind?: string;
}

export const asBoundary = (dto: GeoJsonBoundaryDto | undefined): Boundary | undefined => dto as Boundary | undefined;
