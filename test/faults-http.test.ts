import { proveServer } from './support/prove-server.js';

proveServer('sdk-http-json', '2025-11-25');
proveServer('sdk-http-sse', '2025-11-25');
proveServer('min-http', '2025-11-25');
proveServer('sdk-stateless', '2026-07-28');
