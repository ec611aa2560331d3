/**
 * A workload as one request to repeat: method, params and a check of the answer. Params are
 * built once and reused, so that the generator allocates as little as possible per request.
 */
import type { JsonRpcMessage, Revision } from '../drivers/protocol.js';
import { harmlessMethod } from '../drivers/rpc-core.js';
import type { RequestOptions } from '../drivers/session.js';
import type { Workload } from '../scenarios/types.js';
import { failure, OK, type Outcome } from './errors.js';

export interface Op {
  method: string;
  params: Record<string, unknown> | undefined;
  /** per-request options (a fresh progress token), or undefined to reuse `baseOptions` */
  options?: (n: number) => RequestOptions;
  /** a second look at a successful response: does it carry what this workload expects? */
  check?: (response: JsonRpcMessage) => Outcome;
  /** progress workload: how many notifications each request should bring */
  expectedEvents?: number;
}

/** The cheapest request of a revision (ping, or server/discover from 2026-07-28), as the core names it. */
export { harmlessMethod };

export function opFor(workload: Workload, timeoutMs: number, tokenPrefix = 'p', revision: Revision = '2025-11-25'): Op {
  switch (workload.kind) {
    case 'ping':
      return { method: harmlessMethod(revision), params: undefined };
    case 'echo': {
      const text = 'x'.repeat(workload.bytes);
      return {
        method: 'tools/call',
        params: { name: 'echo', arguments: { text } },
        check: (response) => {
          const content = (response.result as { content?: Array<{ text?: unknown }> } | undefined)?.content;
          const got = content?.[0]?.text;
          return typeof got === 'string' && got.length === text.length ? OK : failure('other', 'echo answer differs');
        },
      };
    }
    case 'progress':
      return {
        method: 'tools/call',
        params: { name: 'progress', arguments: { steps: workload.steps, intervalMs: workload.intervalMs } },
        options: (n) => ({ timeoutMs, meta: { progressToken: `${tokenPrefix}${n}` } }),
        expectedEvents: workload.steps,
      };
  }
}

/** Payload size in bytes the workload sends per request (for reports). */
export function payloadBytes(workload: Workload): number {
  return workload.kind === 'echo' ? workload.bytes : 0;
}

export function describeWorkload(w: Workload): string {
  switch (w.kind) {
    case 'ping':
      return 'ping (server/discover on 2026-07-28)';
    case 'echo':
      return `tools/call echo, ${formatBytes(w.bytes)}`;
    case 'progress':
      return `tools/call progress, ${w.steps} events ${w.intervalMs} ms apart`;
  }
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / 1024 / 1024) * 10) / 10} MiB`;
  if (n >= 1024) return `${Math.round((n / 1024) * 10) / 10} KiB`;
  return `${n} B`;
}
