/** gRPC status code INVALID_ARGUMENT (the gRPC spec's numbering). */
const INVALID_ARGUMENT = 3;

/**
 * Temporal's answer INVALID_ARGUMENT (a request it refused as malformed: a page token it never
 * gave, a query or schedule it cannot parse), found on the error or any of its causes, since the
 * client wraps the gRPC error (ServiceError). The text is Temporal's own explanation.
 */
export function invalidArgumentOf(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const grpc = e as Error & { code?: unknown; details?: unknown };
    if (grpc.code === INVALID_ARGUMENT && 'metadata' in grpc) return typeof grpc.details === 'string' && grpc.details !== '' ? grpc.details : grpc.message;
  }
  return undefined;
}
