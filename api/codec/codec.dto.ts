import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

const base64 = z.string().max(4 * 1024 * 1024).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');

/** A payload as Temporal's remote codec protocol carries it: proto JSON, bytes in base64. */
const PayloadJson = z.strictObject({
  metadata: z.record(z.string().min(1).max(256), base64).optional().describe('Metadata values, base64.'),
  data: base64.optional().describe('The payload bytes, base64.'),
});

export class CodecPayloadsDto extends createZodDto(
  z.strictObject({
    payloads: z.array(PayloadJson).max(10_000).describe('The payloads to encode or decode, in order.'),
  }),
) {}
