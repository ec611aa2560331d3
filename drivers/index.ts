/** One entry point: the driver for a target's transport. */
import { createLegacySseDriver } from './legacy-sse.js';
import type { Driver, Target } from './session.js';
import { createStdioDriver } from './stdio.js';
import { createStreamableHttpDriver } from './streamable-http.js';
import type { WireLog } from './wire-log.js';

export function createDriver(target: Target, log: WireLog): Driver {
  switch (target.transport) {
    case 'stdio':
      return createStdioDriver(target, log);
    case 'http':
      return createStreamableHttpDriver(target, log);
    case 'sse':
      return createLegacySseDriver(target, log);
  }
}
