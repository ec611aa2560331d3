/**
 * The shape of one catalog entry. Each area file (jsonrpc.ts, batching.ts, ...) lists its faults
 * `as const satisfies readonly FaultDef[]`, so that the names stay literal types: index.ts derives
 * the `FaultName` union from them, and a fault name that is not in the catalog does not compile.
 */
import type { ServerKind } from '../kinds.js';

export interface FaultDef<N extends string = string> {
  readonly name: N;
  /** the defect, as a server author would recognise it */
  readonly description: string;
  /** check IDs that must catch it (on a server whose transport they apply to) */
  readonly catches: readonly string[];
  /**
   * Checks the same defect may also break, depending on the transport and the timing of the
   * server's messages (a stray response to a notification can land in another probe's window).
   * The proof allows these to change but does not require it; anything else changing fails it.
   */
  readonly alsoAffects?: readonly string[];
  /** the servers that implement this fault */
  readonly servers: readonly ServerKind[];
  /**
   * The defect reaches across sessions (one client's session id or era leaks into another's), so
   * checks running side by side would see each other's traces: the proof runs its checks one at a time.
   */
  readonly serial?: true;
}
