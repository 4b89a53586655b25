import { Body, Controller, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  type CommandEnvelope,
  DefineAreaCommand,
  RegisterMunicipalityCommand,
  RegisterPlaceCommand,
} from '@app/application';
import { Envelope } from '../http/command-envelope.decorator.js';
import { created } from '../http/command-response.js';
import { asBoundary, DefineAreaDto, RegisterMunicipalityDto, RegisterPlaceDto } from './registry.dto.js';

/** Municipalities, their districts (areas) and named places. */
@ApiTags('registry')
@Controller()
export class RegistryController {
  constructor(private readonly commands: CommandBus) {}

  @Post('municipalities')
  async registerMunicipality(@Body() body: RegisterMunicipalityDto, @Envelope() envelope: CommandEnvelope, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.commands.execute(new RegisterMunicipalityCommand(body, envelope));
    return created(reply, result, `/municipalities/${result.id}`);
  }

  @Post('areas')
  async defineArea(@Body() body: DefineAreaDto, @Envelope() envelope: CommandEnvelope, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.commands.execute(new DefineAreaCommand({ ...body, boundary: asBoundary(body.boundary) }, envelope));
    return created(reply, result, `/areas/${result.id}`);
  }

  @Post('places')
  async registerPlace(@Body() body: RegisterPlaceDto, @Envelope() envelope: CommandEnvelope, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.commands.execute(new RegisterPlaceCommand({ ...body, location: { ...body.location } }, envelope));
    return created(reply, result, `/places/${result.id}`);
  }
}
