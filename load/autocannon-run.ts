/**
 * autocannon in its own process (so that it can be pinned to the generator's CPUs like the
 * engine's workers). Forked with an IPC channel; receives its options, answers with the result.
 */
import autocannon, { type AutocannonOptions } from 'autocannon';

if (!process.send) {
  process.stderr.write('autocannon-run runs as a child of the calibration (it needs an IPC channel)\n');
  process.exit(2);
}
process.once('message', async (opts: AutocannonOptions) => {
  try {
    const r = await autocannon(opts);
    process.send!({
      ok: true,
      result: { requests: r.requests, latency: r.latency, duration: r.duration, errors: r.errors, timeouts: r.timeouts, non2xx: r.non2xx },
    });
  } catch (err) {
    process.send!({ ok: false, message: (err as Error).message });
  }
  process.disconnect();
});
