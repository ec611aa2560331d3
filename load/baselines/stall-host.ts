/** The stall server as a child process (calibration): argv periodMs stallMs; sends { url }; exits with its parent. */
import { startStallServer } from './stall-server.js';

const periodMs = Number(process.argv[2] ?? 1000);
const stallMs = Number(process.argv[3] ?? 100);
const server = await startStallServer({ periodMs, stallMs });
process.send?.({ url: server.url });
process.on('disconnect', () => void server.close().then(() => process.exit(0)));
