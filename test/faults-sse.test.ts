import { proveServer } from './support/prove-server.js';

proveServer('sdk-sse');
proveServer('min-sse');
