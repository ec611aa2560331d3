/**
 * The hook registry of every fault that acts at a seam, and `seamsFor`: what a server composes
 * at start-up from its active faults. A fault without an entry here still acts inline in the
 * server that has it (the Streamable HTTP endpoints' own faults until they move to seams).
 */
import { composeSeams, type ServerSeams } from '../../seams.js';
import { FAULTS, type FaultName, type FaultSet } from '../index.js';
import { BATCHING_HOOKS } from './batching.js';
import { HTTP_SECURITY_HOOKS } from './http-security.js';
import { JSONRPC_HOOKS } from './jsonrpc.js';
import { LEGACY_SSE_HOOKS } from './legacy-sse.js';
import { LIFECYCLE_HOOKS } from './lifecycle.js';
import type { HookFactory, HookRegistry } from './registry.js';
import { STDIO_HOOKS } from './stdio.js';
import { STREAMABLE_HTTP_GUARD_HOOKS, STREAMABLE_HTTP_SESSION_HOOKS } from './streamable-http.js';

export type { HookFactory, HookRegistry } from './registry.js';

const REGISTRIES: readonly HookRegistry[] = [
  JSONRPC_HOOKS,
  BATCHING_HOOKS,
  LIFECYCLE_HOOKS,
  STDIO_HOOKS,
  STREAMABLE_HTTP_SESSION_HOOKS,
  STREAMABLE_HTTP_GUARD_HOOKS,
  HTTP_SECURITY_HOOKS,
  LEGACY_SSE_HOOKS,
];

const HOOKS = new Map<FaultName, HookFactory>();
for (const registry of REGISTRIES) {
  for (const [name, factory] of Object.entries(registry) as [FaultName, HookFactory][]) {
    if (HOOKS.has(name)) throw new Error(`fault ${name} is registered twice`);
    HOOKS.set(name, factory);
  }
}

/** Whether the fault acts through a seam (else it is still inline in a server). */
export function hasHooks(name: FaultName): boolean {
  return HOOKS.has(name);
}

/** Every seam, composed from the hooks of the active faults in catalog order; fresh state per call. */
export function seamsFor(faults: FaultSet): ServerSeams {
  return composeSeams(FAULTS.filter((f) => faults.has(f.name)).flatMap((f) => HOOKS.get(f.name)?.() ?? []));
}

const shared = new WeakMap<FaultSet, ServerSeams>();

/**
 * The seams of a fault set composed once and kept: for the stateless seams (request guard,
 * response head, stream writer) that a server consults per request. Stateful seams (message,
 * session) come fresh from `seamsFor`, one composition per connection or table.
 */
export function sharedSeamsFor(faults: FaultSet): ServerSeams {
  const known = shared.get(faults);
  if (known) return known;
  const seams = seamsFor(faults);
  shared.set(faults, seams);
  return seams;
}
