import { connect, constants, createSecureServer, type ClientHttp2Session, type Http2Session, type IncomingHttpHeaders } from 'node:http2';
import { type AddressInfo } from 'node:net';
import { type TLSSocket } from 'node:tls';

export interface GrpcTlsProxyOptions {
  /** The plaintext gRPC server behind the proxy (a dev server's `host:port`). */
  readonly target: string;
  readonly cert: Buffer;
  readonly key: Buffer;
  /** Require a client certificate signed by this CA (mutual TLS). */
  readonly clientCa?: Buffer;
  /** Require `authorization: Bearer <apiKey>` on every call, as Temporal Cloud does. */
  readonly apiKey?: string;
}

export interface GrpcTlsProxy {
  /** `127.0.0.1:<port>` */
  readonly address: string;
  /** One entry per call that reached the proxy: what it presented. */
  readonly calls: { readonly path: string; readonly authorization?: string; readonly clientCertificate: boolean }[];
  close(): Promise<void>;
}

/**
 * A TLS-terminating gRPC (HTTP/2) proxy in front of a plaintext server: `temporal server start-dev`
 * has no TLS flags, so this plays the part of a cluster that needs TLS, mTLS or an API key. Calls
 * without the right key get UNAUTHENTICATED, as from a real server; everything else is forwarded
 * frame for frame, trailers included.
 */
export async function startGrpcTlsProxy(options: GrpcTlsProxyOptions): Promise<GrpcTlsProxy> {
  const upstream: ClientHttp2Session = connect(`http://${options.target}`);
  upstream.on('error', () => undefined);
  const sessions = new Set<Http2Session>();
  const calls: GrpcTlsProxy['calls'][number][] = [];
  const mutual = options.clientCa !== undefined;
  const server = createSecureServer({ cert: options.cert, key: options.key, ca: options.clientCa, requestCert: mutual, rejectUnauthorized: mutual, ALPNProtocols: ['h2'] });
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
    session.on('error', () => undefined);
  });
  server.on('stream', (stream, headers: IncomingHttpHeaders) => {
    stream.on('error', () => undefined);
    const socket = stream.session?.socket as TLSSocket | undefined;
    calls.push({ path: String(headers[':path']), authorization: headers.authorization, clientCertificate: Boolean(socket?.getPeerCertificate && Object.keys(socket.getPeerCertificate()).length > 0) });
    if (options.apiKey !== undefined && headers.authorization !== `Bearer ${options.apiKey}`) {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': String(16), 'grpc-message': 'API key missing or wrong' }, { endStream: true });
      return;
    }
    const request = upstream.request({ ...headers, ':scheme': 'http' });
    request.on('error', () => undefined);
    let trailers: IncomingHttpHeaders = {};
    request.on('trailers', (received: IncomingHttpHeaders) => {
      trailers = received;
    });
    request.on('response', (responseHeaders, flags) => {
      if (stream.destroyed) return;
      // A trailers-only response (an error status) ends the stream in its headers.
      if (flags & constants.NGHTTP2_FLAG_END_STREAM) {
        stream.respond(responseHeaders, { endStream: true });
        return;
      }
      stream.respond(responseHeaders, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers(trailers));
      request.pipe(stream);
    });
    stream.pipe(request);
    // A cancelled call (a worker shutting down its long polls) is cancelled upstream too, and the reverse.
    stream.on('close', () => {
      if (!request.closed) request.close(constants.NGHTTP2_CANCEL);
    });
    request.on('close', () => {
      if (!stream.closed && request.rstCode !== constants.NGHTTP2_NO_ERROR) stream.close(request.rstCode);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    calls,
    close: async () => {
      for (const s of sessions) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      upstream.destroy();
    },
  };
}
