/**
 * Runs one bundled reference server in its own process, so that a benchmark can read the
 * server's CPU and memory from /proc and pin it apart from the generator. Forked with an IPC
 * channel: argv is the server kind (and faults); it sends { url } and exits with its parent.
 */
import { parseFaults } from '../reference-servers/faults/index.js';
import { isServerKind } from '../reference-servers/kinds.js';
import { startServer } from '../reference-servers/start.js';

const [kind, ...faults] = process.argv.slice(2);
if (!process.send || !isServerKind(kind)) {
  process.stderr.write('usage (as a forked child): server-host <server-kind> [fault ...]\n');
  process.exit(2);
}
const server = await startServer(kind, { faults: parseFaults(faults, kind) });
process.send({ url: server.url });
process.on('disconnect', () => {
  const t = setTimeout(() => process.exit(0), 3000);
  t.unref();
  void server.close().then(() => process.exit(0));
});
