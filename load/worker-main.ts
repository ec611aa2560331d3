/**
 * A generator process (`--workers N` starts N of these). It takes phases over IPC: prepare
 * (open sessions), go (run the loop), and answers with encoded results. It exits when its
 * parent goes away, so no worker outlives a run.
 */
import type { PhaseSpec, PreparedPhase } from './phase.js';
import { preparePhase } from './phase.js';

export type ToWorker = { type: 'prepare'; spec: PhaseSpec } | { type: 'go' } | { type: 'abort' } | { type: 'exit' };
export type FromWorker =
  | { type: 'ready' }
  | { type: 'result'; result: import('./phase.js').PhaseResult }
  | { type: 'error'; message: string };

let prepared: PreparedPhase | undefined;

function reply(msg: FromWorker): void {
  process.send?.(msg);
}

async function onMessage(msg: ToWorker): Promise<void> {
  try {
    switch (msg.type) {
      case 'prepare':
        prepared = await preparePhase(msg.spec);
        reply({ type: 'ready' });
        return;
      case 'go': {
        const p = prepared;
        prepared = undefined;
        if (!p) throw new Error('go before prepare');
        reply({ type: 'result', result: await p.go() });
        return;
      }
      case 'abort':
        await prepared?.abort();
        prepared = undefined;
        reply({ type: 'ready' });
        return;
      case 'exit':
        await prepared?.abort();
        process.disconnect?.();
        return;
    }
  } catch (err) {
    prepared = undefined;
    reply({ type: 'error', message: (err as Error).message ?? String(err) });
  }
}

if (!process.send) {
  process.stderr.write('worker-main runs as a child of mcp-harness bench (it needs an IPC channel)\n');
  process.exit(2);
}
process.on('message', (m) => void onMessage(m as ToWorker));
// The parent is gone: stop, whatever is running (stdio servers are reaped by the driver's exit hook).
process.on('disconnect', () => process.exit(0));
