import { proveServer } from './support/prove-server.js';

proveServer('sdk-stdio', '2025-11-25');
proveServer('min-stdio', '2025-11-25');
