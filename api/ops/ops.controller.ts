import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { OpsService } from './ops.service';

@ApiTags('ops')
@Controller()
export class OpsController {
  constructor(@Inject(OpsService) private readonly ops: OpsService) {}

  @Get('healthz')
  @ApiOperation({ summary: 'The process is alive' })
  healthz() {
    return { status: 'ok' };
  }

  @Get('readyz')
  @ApiResponse({ status: 200, description: 'ready' })
  @ApiResponse({ status: 503, description: 'not ready: the body says which dependency failed' })
  @ApiOperation({ summary: 'Temporal and the artifact store are reachable (503 otherwise)' })
  async readyz(@Res() res: Response) {
    const readiness = await this.ops.readiness();
    res.status(readiness.ready ? 200 : 503).json(readiness);
  }

  @Get('metrics')
  @ApiOperation({ summary: 'Prometheus metrics' })
  async metrics(@Res() res: Response) {
    const text = await this.ops.metricsText();
    res.type(this.ops.metricsContentType).send(text);
  }
}
