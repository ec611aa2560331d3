/** Faults of HTTP security: Origin, Host, binding (catalog section 7). */
import type { FaultDef } from './def.js';
import { STREAMABLE, WEB } from './groups.js';

export const HTTP_SECURITY_FAULTS = [
  {
    name: 'no-origin-check',
    description: 'requests from any Origin are served (DNS rebinding)',
    catches: ['SEC-ORIGIN-01', 'SEC-ORIGIN-02', 'LSSE-SEC-01'],
    servers: WEB,
  },
  {
    name: 'origin-400',
    description: 'a foreign Origin is rejected with 400 instead of 403',
    catches: ['SEC-ORIGIN-02'],
    servers: [...STREAMABLE, 'sdk-stateless'],
  },
  {
    name: 'host-unchecked',
    description: 'the Host header is not validated (DNS rebinding with an absent Origin)',
    catches: ['SEC-HOST-01'],
    servers: WEB,
  },
  {
    name: 'origin-port-ignored',
    description: "the Origin allowlist names bare localhost, so the server's own origin with its port is refused",
    catches: ['SEC-ORIGIN-03'],
    servers: WEB,
  },
  {
    name: 'bind-all-interfaces',
    description: 'the server listens on 0.0.0.0 instead of 127.0.0.1',
    catches: ['SEC-BIND-01'],
    servers: ['sdk-stateless'],
  },
] as const satisfies readonly FaultDef[];
