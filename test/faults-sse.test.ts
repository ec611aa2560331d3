import { proveServer } from './support/prove-server.js';

proveServer('sdk-sse', '2024-11-05');
proveServer('min-sse', '2024-11-05');
