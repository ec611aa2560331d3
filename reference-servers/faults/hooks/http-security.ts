/** Hooks of the HTTP security faults (faults/http-security.ts): the request guard seam. */
import type { HookRegistry } from './registry.js';

export const HTTP_SECURITY_HOOKS = {
  // DNS rebinding: any Origin is served (the Host check stays)
  'no-origin-check': () => ({ guard: { originAllowed: () => true } }),
  'origin-400': () => ({ guard: { originRefusal: 400 } }),
  // the allowlist names the bare localhost origin, so this server's own page (with its port) is refused
  'origin-port-ignored': () => ({ guard: { originAllowed: (ok, origin) => ok && !/:\d+$/.test(origin) } }),
  'host-unchecked': () => ({ guard: { hostAllowed: () => true } }),
} satisfies HookRegistry;
