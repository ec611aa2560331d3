/** Binding and closing the node:http servers, with loopback defaults and a bounded shutdown. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Bound {
  host: string;
  port: number;
  /** http://host:port, with IPv6 literals bracketed */
  origin: string;
}

/** Listen on `host` (default 127.0.0.1) and `port` (0 = any free port). */
export function listen(server: Server, host = '127.0.0.1', port = 0): Promise<Bound> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address() as AddressInfo;
      const name = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve({ host: address.address, port: address.port, origin: `http://${name}:${address.port}` });
    });
  });
}

/**
 * Stop accepting, drop every open connection (idle keep-alives and live SSE streams alike) and
 * resolve once the server reports closed, or after `deadlineMs` whatever happens.
 */
export function closeServer(server: Server, deadlineMs = 5000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, deadlineMs);
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeAllConnections();
  });
}

/** Host names a server bound to `host` must also accept in Host/Origin, beyond the loopback names. */
export function extraHostsFor(host: string): string[] {
  const h = host.toLowerCase();
  if (h === '127.0.0.1' || h === 'localhost' || h === '::1') return [];
  return [h.includes(':') ? `[${h}]` : h];
}
