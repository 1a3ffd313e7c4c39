import { Inject, Injectable } from '@nestjs/common';
import { type Payload } from '@temporalio/common';
import { type ApiConfig } from '../config';
import { BadRequestError } from '../common/errors';
import { API_CONFIG } from '../tokens';
import { type CodecPayloadsDto } from './codec.dto';

type PayloadsJson = CodecPayloadsDto['payloads'];

const fromJson = (p: PayloadsJson[number]): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});

const toJson = (p: Payload): PayloadsJson[number] => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')])),
  data: Buffer.from(p.data ?? []).toString('base64'),
});

/**
 * Temporal's remote codec protocol over the workers' own codec, so the Web UI and the CLI
 * (`--codec-endpoint`) show encrypted payloads to those who hold the API key. Without
 * PAYLOAD_CODEC_KEYS it is the identity: payloads are not encrypted then.
 */
@Injectable()
export class CodecService {
  constructor(@Inject(API_CONFIG) private readonly config: ApiConfig) {}

  async encode(body: CodecPayloadsDto): Promise<CodecPayloadsDto> {
    const codec = this.config.temporal.payloadCodec;
    const payloads = body.payloads.map(fromJson);
    return { payloads: (codec ? await codec.encode(payloads) : payloads).map(toJson) };
  }

  async decode(body: CodecPayloadsDto): Promise<CodecPayloadsDto> {
    const codec = this.config.temporal.payloadCodec;
    const payloads = body.payloads.map(fromJson);
    try {
      return { payloads: (codec ? await codec.decode(payloads) : payloads).map(toJson) };
    } catch (error) {
      // A payload under an unknown key or altered in transit: the caller's data, not our fault.
      throw new BadRequestError(`cannot decode: ${(error as Error).message}`);
    }
  }
}
