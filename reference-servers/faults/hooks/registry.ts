/**
 * The type of a hook registry: a fault name (from the catalog, checked at compile time) to the
 * factory of its hooks. A factory is called once per composition (per connection, per session
 * table), so state a defect needs (a counter, a map of ids) lives in its closure.
 */
import type { FaultHooks } from '../../seams.js';
import type { FaultName } from '../index.js';

export type HookFactory = () => FaultHooks;
export type HookRegistry = { readonly [N in FaultName]?: HookFactory };
