/**
 * How the engine gets a driver: the same `createDriver` the conformance checks use, with the
 * wire log off (or a ProgressClock for the progress scenario), so that the engine measures the
 * drivers users' checks run on and logging costs nothing on the hot path.
 */
import type { Driver, Target } from '../drivers/session.js';
import type { WireLog } from '../drivers/wire-log.js';

export type DriverFactory = (target: Target, log: WireLog) => Driver;

export async function loadDriverFactory(): Promise<DriverFactory> {
  // Loaded lazily so that the engine's pure parts (histograms, loops, reports) import nothing
  // of the transports.
  const mod = await import('../drivers/index.js');
  return mod.createDriver;
}
