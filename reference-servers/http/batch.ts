/**
 * The JSON-RPC batch policy of the reference servers. Batches exist only in the 2025-03-26
 * revision (added there, removed in 2025-06-18): a server that serves several revisions must
 * accept an array body on a session negotiated at 2025-03-26 (BATCH-01) and reject it with
 * 400/-32600 on any later one (BATCH-06). The legacy HTTP+SSE transport speaks 2024-11-05,
 * which predates batching, so it rejects arrays too.
 *
 * The batching faults act at the batch seam (reference-servers/seams.ts, hooks in
 * faults/hooks/batching.ts), composed from the faults of the layer the batch arrives on.
 */
import type { JsonRpcMessage } from '../../drivers/protocol.js';
import { ErrorCode } from '../../drivers/protocol.js';
import { NO_FAULTS } from '../faults/index.js';
import { sharedSeamsFor } from '../faults/hooks/index.js';
import type { MessageLayer } from '../message-layer.js';
import { errorResponse } from '../message-layer.js';

export const BATCH_REVISION = '2025-03-26';

const batchSeam = (layer: MessageLayer | undefined) => sharedSeamsFor(layer?.faults ?? NO_FAULTS).batch;

/** Whether an array body is a valid message on a session that negotiated `revision`. */
export function acceptsBatch(revision: string | undefined, layer?: MessageLayer): boolean {
  return batchSeam(layer).accepts(revision === BATCH_REVISION, revision);
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
    } else if (!batchSeam(layer).dropInvalid) {
      const rejection = layer.rejection(c);
      if (rejection) errors.push(rejection);
    }
  }
  return { valid, errors };
}

/** The answer to an empty batch: one error object. */
export function emptyBatchAnswer(error: JsonRpcMessage, layer: MessageLayer): JsonRpcMessage | JsonRpcMessage[] {
  return batchSeam(layer).emptyAsArray ? [error] : error;
}

/** The JSON answer owed to a batch of notifications and responses only: none (HTTP 202). */
export function answerToNothingOwed(layer: MessageLayer): JsonRpcMessage[] | undefined {
  return batchSeam(layer).answerNotificationsOnly ? [] : undefined;
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
