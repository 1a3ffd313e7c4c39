import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ZodValidationPipe } from 'nestjs-zod';
import { Answers } from '../common/answers';
import { KeyRequired } from '../common/keyRequired';
import { CodecPayloadsDto } from './codec.dto';
import { CodecService } from './codec.service';

const auth = KeyRequired();

@ApiTags('codec')
@Controller('codec')
export class CodecController {
  constructor(@Inject(CodecService) private readonly codec: CodecService) {}

  @Post('encode')
  @Answers(200, 400, 413)
  @HttpCode(200)
  @auth
  @ApiOperation({ summary: 'Encode payloads with the workers\' payload codec (Temporal remote codec protocol)' })
  @ApiBody({ type: CodecPayloadsDto })
  encode(@Body(new ZodValidationPipe(CodecPayloadsDto)) body: CodecPayloadsDto) {
    return this.codec.encode(body);
  }

  @Post('decode')
  @Answers(200, 400, 413)
  @HttpCode(200)
  @auth
  @ApiOperation({ summary: 'Decode payloads for the Web UI and `temporal --codec-endpoint` (Temporal remote codec protocol)' })
  @ApiBody({ type: CodecPayloadsDto })
  decode(@Body(new ZodValidationPipe(CodecPayloadsDto)) body: CodecPayloadsDto) {
    return this.codec.decode(body);
  }
}
