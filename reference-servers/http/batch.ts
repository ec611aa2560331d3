/**
 * The JSON-RPC batch policy of the reference servers. Batches exist only in the 2025-03-26
 * revision (added there, removed in 2025-06-18): a server that serves several revisions must
 * accept an array body on a session negotiated at 2025-03-26 (BATCH-01) and reject it with
 * 400/-32600 on any later one (BATCH-06). The legacy HTTP+SSE transport speaks 2024-11-05,
 * which predates batching, so it rejects arrays too.
 */
import type { JsonRpcMessage } from '../../drivers/protocol.js';
import { ErrorCode } from '../../drivers/protocol.js';
import type { MessageLayer } from '../message-layer.js';
import { errorResponse } from '../message-layer.js';

export const BATCH_REVISION = '2025-03-26';

/**
 * Whether an array body is a valid message on a session that negotiated `revision`. Faults:
 * batch-rejected (arrays refused even at 2025-03-26), batch-any-version (the SDK's default).
 */
export function acceptsBatch(revision: string | undefined, layer?: MessageLayer): boolean {
  if (layer?.has('batch-any-version')) return true;
  return revision === BATCH_REVISION && !layer?.has('batch-rejected');
}

/** The error for an array body where batching does not exist (answer it with HTTP 400). */
export function batchRejection(revision: string | undefined): JsonRpcMessage {
  return errorResponse(
    null,
    ErrorCode.InvalidRequest,
    `Invalid Request: JSON-RPC batches are not supported in protocol version ${revision ?? 'unknown'}`,
  );
}

export interface SplitBatch {
  /** valid messages, in order, already classified (so the layer tracks their ids) */
  valid: JsonRpcMessage[];
  /** one -32600 error per invalid element (JSON-RPC 2.0 answers them inside the batch) */
  errors: JsonRpcMessage[];
}

/**
 * Classify each element of a batch. An empty array is itself an invalid request and is answered
 * with a single error object, not an array (JSON-RPC 2.0, BATCH-03): `errors` then holds that
 * one object and `valid` is empty.
 */
export function splitBatch(items: readonly unknown[], layer: MessageLayer): SplitBatch {
  if (items.length === 0) {
    return { valid: [], errors: [errorResponse(null, ErrorCode.InvalidRequest, 'Invalid Request: empty batch')] };
  }
  const valid: JsonRpcMessage[] = [];
  const errors: JsonRpcMessage[] = [];
  for (const item of items) {
    const c = layer.classifyValue(item);
    if (c.kind === 'message') {
      // initialize opens a session; inside a batch it would re-initialize one (C-BATCH-01).
      if (c.message.method === 'initialize' && 'id' in c.message) {
        errors.push(errorResponse(c.message.id as string, ErrorCode.InvalidRequest, 'Invalid Request: initialize must not be batched'));
      } else {
        valid.push(c.message);
      }
    } else if (!layer.has('batch-drops-invalid')) {
      const rejection = layer.rejection(c);
      if (rejection) errors.push(rejection);
    }
  }
  return { valid, errors };
}

/** The answer to an empty batch: one error object (fault empty-batch-array: an array holding it). */
export function emptyBatchAnswer(error: JsonRpcMessage, layer: MessageLayer): JsonRpcMessage | JsonRpcMessage[] {
  return layer.has('empty-batch-array') ? [error] : error;
}

/**
 * The reply to a batch of notifications and responses only: 202 with no body. Faults
 * batch-notifications-answered (200 and an empty array) and batch-notifications-200.
 */
export function nothingOwedToBatch(layer: MessageLayer): { status: number; body?: JsonRpcMessage[] } {
  if (layer.has('batch-notifications-answered')) return { status: 200, body: [] };
  return { status: layer.has('batch-notifications-200') ? 200 : 202 };
}

/**
 * Answer a batch with a per-message handler (the hand-written servers). Resolves with what to
 * send: an array of responses, a single error object for an empty batch, or undefined when
 * nothing is owed (only notifications and responses: HTTP 202).
 */
export async function answerBatch(
  items: readonly unknown[],
  layer: MessageLayer,
  handle: (message: JsonRpcMessage) => Promise<JsonRpcMessage | undefined>,
): Promise<JsonRpcMessage | JsonRpcMessage[] | undefined> {
  const { valid, errors } = splitBatch(items, layer);
  if (items.length === 0) return emptyBatchAnswer(layer.outgoing(errors[0]!), layer);
  const answers = await Promise.all(valid.map((m) => handle(m)));
  const out: JsonRpcMessage[] = [];
  for (const a of answers) if (a) out.push(layer.outgoing(a));
  for (const e of errors) out.push(layer.outgoing(e));
  return out.length === 0 ? undefined : out;
}
