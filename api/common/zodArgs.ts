import { Body, Param, type PipeTransform, Query } from '@nestjs/common';
import { PARAMTYPES_METADATA } from '@nestjs/common/constants';
import { ZodValidationPipe, type ZodDto } from 'nestjs-zod';

type Dto = ZodDto & (new (...args: never[]) => unknown);

/**
 * Records the DTO as the argument's type, where @nestjs/swagger looks for it to list an operation's
 * path and query parameters. tsc would emit that (`emitDecoratorMetadata`), but the app runs under
 * tsx (esbuild), which emits no decorator metadata: without this the document had no parameters.
 */
function recordType(target: object, key: string | symbol | undefined, index: number, dto: Dto): void {
  if (key === undefined) return;
  const types = [...((Reflect.getMetadata(PARAMTYPES_METADATA, target, key) as unknown[] | undefined) ?? [])];
  types[index] = dto;
  Reflect.defineMetadata(PARAMTYPES_METADATA, types, target, key);
}

/** The path parameters, validated by the DTO's zod schema and listed in the OpenAPI document. */
export const ZodParams =
  (dto: Dto): ParameterDecorator =>
  (target, key, index) => {
    recordType(target, key, index, dto);
    Param(new ZodValidationPipe(dto))(target, key, index);
  };

/** The query parameters, validated by the DTO's zod schema and listed in the OpenAPI document. */
export const ZodQuery =
  (dto: Dto): ParameterDecorator =>
  (target, key, index) => {
    recordType(target, key, index, dto);
    Query(new ZodValidationPipe(dto))(target, key, index);
  };

/** No body at all is an empty object: Express leaves `req.body` undefined when nothing was sent. */
const EMPTY_WHEN_ABSENT: PipeTransform = { transform: (value: unknown) => value ?? {} };

/**
 * A body the operation documents as optional (`@ApiBody({ required: false })`): sending none is
 * the same as sending `{}`, not a 400 "expected object, received undefined".
 */
export const OptionalZodBody = (dto: Dto): ParameterDecorator => Body(EMPTY_WHEN_ABSENT, new ZodValidationPipe(dto));
