/**
 * A bundled stdio reference server, started directly (no CLI parsing): argv is the server kind
 * and its faults. The stdio driver spawns this once per session and reaps it.
 */
import { parseFaults } from '../reference-servers/faults/index.js';
import { isServerKind } from '../reference-servers/kinds.js';
import { startServer } from '../reference-servers/start.js';

const [kind, ...faults] = process.argv.slice(2);
if (!isServerKind(kind)) {
  process.stderr.write('usage: stdio-host <server-kind> [fault ...]\n');
  process.exit(2);
}
await startServer(kind, { faults: parseFaults(faults, kind) });
