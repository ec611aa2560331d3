/** Helpers shared by the stdio tests: targets for the reference servers and for inline peers. */
import { fileURLToPath } from 'node:url';
import { waitFor } from '../drivers/deadline.js';
import type { StdioTarget } from '../drivers/stdio.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/serve-stdio.ts', import.meta.url));

export const STDIO_KINDS = ['sdk-stdio', 'min-stdio'] as const;

/** A stdio reference server with these faults, run through the test-only entry. */
export function serverTarget(kind: string, faults: readonly string[] = []): StdioTarget {
  return {
    transport: 'stdio',
    command: process.execPath,
    args: ['--import', 'tsx', FIXTURE, kind, ...faults.flatMap((f) => ['--fault', f])],
  };
}

/** A peer program given as Node.js source (CommonJS, so it can require). */
export function nodeTarget(source: string): StdioTarget {
  return { transport: 'stdio', command: process.execPath, args: ['-e', source] };
}

/** Answers every request line with {params} as its result, echoing the id unchanged. */
export const ECHO_PEER = `
const rl = require('readline').createInterface({ input: process.stdin });
rl.on('line', (line) => {
  let m; try { m = JSON.parse(line); } catch { return; }
  if ('id' in m) process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: m.id, result: { method: m.method, params: m.params ?? null } }) + '\\n');
});`;

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A killed orphan is reaped by init a moment after it dies; poll rather than assert at once. */
export function gone(pid: number, ms = 5000): Promise<boolean> {
  return waitFor(() => !isAlive(pid), ms, 20);
}
