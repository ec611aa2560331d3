import { proveServer } from './support/prove-server.js';

proveServer('sdk-http-json');
proveServer('sdk-http-sse');
proveServer('min-http');
proveServer('sdk-stateless');
proveServer('sdk-dual');
proveServer('sdk-http-auth');
proveServer('min-http-auth');
proveServer('sdk-stateless-auth');
