import { Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import { IllegalStateError, NotFoundError } from '@app/domain';
import { PROJECTION_MONITOR, type ProjectionMonitor } from '@app/projections';

/** Operators' view of the projections, and the rebuild command. */
@ApiTags('operations')
@Controller('projections')
export class ProjectionsController {
  constructor(@Inject(PROJECTION_MONITOR) private readonly monitor: ProjectionMonitor) {}

  @Get()
  async list() {
    return { projections: await this.monitor.status() };
  }

  /**
   * Rebuilds a projection from the start of the log into a new collection beside the live one; queries
   * switch to it once it has caught up with the head. Answers at once (202); follow it in GET /projections.
   */
  @Post(':name/rebuild')
  @HttpCode(202)
  @ApiParam({ name: 'name', example: 'incident-register' })
  async rebuild(@Param('name') name: string) {
    const status = (await this.monitor.status()).find((s) => s.name === name);
    if (!status) throw new NotFoundError('PROJECTION.NOT_FOUND', `there is no projection named ${name}`);
    if (!this.monitor.rebuild) {
      throw new IllegalStateError('PROJECTOR.NOT_IN_THIS_PROCESS', 'the projections run in the projector app; ask it to rebuild');
    }
    void this.monitor.rebuild(name).catch(() => {});
    // Wait for the new collection to be registered, so the answer names it.
    const deadline = Date.now() + 1_000;
    let current = status;
    while (Date.now() < deadline) {
      current = (await this.monitor.status()).find((s) => s.name === name)!;
      // A failed rebuild shown from before is not the one just asked for.
      if ((current.rebuild && current.rebuild.state !== 'failing') || current.collection !== status.collection) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return current;
  }
}
