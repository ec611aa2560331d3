/**
 * What went wrong with one request, by kind, so a report can say "3 timeouts, 12 HTTP 503" and
 * not just "15 errors". The success path allocates nothing: every successful send returns OK.
 */
import { DeadlineError } from '../drivers/deadline.js';
import type { RpcReply } from '../drivers/session.js';

export const ERROR_KINDS = ['timeout', 'http-status', 'jsonrpc-error', 'tool-error', 'transport-closed', 'other'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export type Outcome = { readonly ok: true } | { readonly ok: false; readonly kind: ErrorKind; readonly detail?: string };

export const OK: Outcome = Object.freeze({ ok: true as const });

export function failure(kind: ErrorKind, detail?: string): Outcome {
  return detail === undefined ? { ok: false, kind } : { ok: false, kind, detail };
}

/** Classify a driver's reply to one request. */
export function classifyReply(reply: RpcReply): Outcome {
  if (reply.timedOut) return failure('timeout');
  // status 0: no HTTP response at all (refused, reset, closed mid-body)
  if (reply.status === 0) return failure('transport-closed');
  if (reply.status !== undefined && (reply.status < 200 || reply.status > 299)) {
    return failure('http-status', String(reply.status));
  }
  const response = reply.response;
  if (!response) return failure('transport-closed', 'no response');
  const error = response.error as { code?: unknown } | undefined;
  if (error !== undefined) return failure('jsonrpc-error', typeof error?.code === 'number' ? String(error.code) : 'malformed');
  const result = response.result as { isError?: unknown } | undefined;
  if (result && result.isError === true) return failure('tool-error');
  return OK;
}

const CLOSED =
  /ECONNRESET|ECONNREFUSED|EPIPE|ERR_STREAM|UND_ERR_SOCKET|UND_ERR_CLOSED|socket hang up|other side closed|closed|exited|terminated/i;

/** Classify an exception a driver threw while sending or waiting. */
export function classifyError(err: unknown): Outcome {
  if (err instanceof DeadlineError) return failure('timeout');
  const e = err as { name?: unknown; code?: unknown; status?: unknown; message?: unknown; cause?: unknown };
  if (e && (e.name === 'TimeoutError' || e.name === 'AbortError' || e.code === 'UND_ERR_HEADERS_TIMEOUT')) {
    return failure('timeout');
  }
  if (e && typeof e.status === 'number') return failure('http-status', String(e.status));
  const text = `${String(e?.code ?? '')} ${String(e?.message ?? err)} ${String((e?.cause as { code?: unknown })?.code ?? '')}`;
  if (CLOSED.test(text)) return failure('transport-closed', String(e?.code ?? e?.message ?? '').slice(0, 80));
  return failure('other', String(e?.message ?? err).slice(0, 120));
}

/** Counts by kind and by kind:detail, mergeable across workers. */
export interface ErrorCounts {
  total: number;
  byKind: Partial<Record<ErrorKind, number>>;
  /** "http-status:503", "jsonrpc-error:-32603", ... bounded to a few dozen distinct keys */
  byDetail: Record<string, number>;
}

const MAX_DETAILS = 50;

export function emptyErrors(): ErrorCounts {
  return { total: 0, byKind: {}, byDetail: {} };
}

export function countError(counts: ErrorCounts, outcome: Outcome): void {
  if (outcome.ok) return;
  counts.total++;
  counts.byKind[outcome.kind] = (counts.byKind[outcome.kind] ?? 0) + 1;
  const key = outcome.detail === undefined ? outcome.kind : `${outcome.kind}:${outcome.detail}`;
  if (key in counts.byDetail || Object.keys(counts.byDetail).length < MAX_DETAILS) {
    counts.byDetail[key] = (counts.byDetail[key] ?? 0) + 1;
  } else {
    counts.byDetail[`${outcome.kind}:…`] = (counts.byDetail[`${outcome.kind}:…`] ?? 0) + 1;
  }
}

export function mergeErrors(parts: readonly ErrorCounts[]): ErrorCounts {
  const out = emptyErrors();
  for (const p of parts) {
    out.total += p.total;
    for (const [k, v] of Object.entries(p.byKind)) out.byKind[k as ErrorKind] = (out.byKind[k as ErrorKind] ?? 0) + (v ?? 0);
    for (const [k, v] of Object.entries(p.byDetail)) out.byDetail[k] = (out.byDetail[k] ?? 0) + v;
  }
  return out;
}
