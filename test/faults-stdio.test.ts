import { proveServer } from './support/prove-server.js';

proveServer('sdk-stdio');
proveServer('min-stdio');
proveServer('sdk-stdio-modern');
