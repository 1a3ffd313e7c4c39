import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type Registry } from 'prom-client';

export interface MetricsServer {
  /** The bound port: the configured one, or the one the OS chose for port 0. */
  readonly port: number;
  close(): Promise<void>;
}

/**
 * The worker process's HTTP endpoint: `/metrics` for Prometheus, `/healthz` (the process answers)
 * and `/readyz` (every worker polls) for Kubernetes probes. Workers have no API of their own, so
 * the probes live beside the metrics.
 */
export async function startMetricsServer(registry: Registry, options: { host: string; port: number; ready: () => boolean }): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
    } else if (path === '/metrics') {
      registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
        (error: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error)),
      );
    } else if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    } else if (path === '/readyz') {
      const ready = options.ready();
      res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ ready }));
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  server.listen(options.port, options.host);
  // Rejects with the bind error (e.g. EADDRINUSE), so a taken port stops the worker at start.
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Scrapers keep connections alive; without this close() would wait for them to go idle.
        server.closeAllConnections();
      }),
  };
}
