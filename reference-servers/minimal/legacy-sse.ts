/**
 * Hand-written legacy HTTP+SSE (2024-11-05) server on node:http: the speed baseline for this
 * transport. GET /sse opens a session; each POST is acknowledged 202 at once and its answer,
 * with any progress notifications, follows as `event: message` on that session's stream.
 */
import type { ServerResponse } from 'node:http';
import type { JsonRpcMessage } from '../../drivers/protocol.js';
import {
  EVENT_STREAM_HEAD,
  endpointEvent,
  endpointUri,
  messageEvent,
  newSessionId,
  serveLegacySse,
  type WireSession,
} from '../http/legacy-sse-wire.js';
import type { MessageLayer } from '../message-layer.js';
import type { RunningServer, ServeOptions } from '../start.js';
import { createDispatcher } from './dispatcher.js';

const ignore = () => {};

function openSession(stream: ServerResponse, layer: MessageLayer): WireSession {
  const id = newSessionId();
  const dispatcher = createDispatcher({ clientRequests: true });
  // tools/call ids still running → whether the client cancelled them. A closed stream cancels
  // them all (the dispatcher only stops a tool on notifications/cancelled), and a cancelled
  // call gets no response (the dispatcher would answer it with a -32603 "cancelled" error).
  const running = new Map<unknown, boolean>();
  stream.writeHead(200, EVENT_STREAM_HEAD);
  stream.write(endpointEvent(endpointUri(id)));

  /** Forget a finished call; true when it was cancelled. */
  const settle = (requestId: unknown): boolean => {
    const cancelled = running.get(requestId) === true;
    running.delete(requestId);
    return cancelled;
  };

  const send = (message: JsonRpcMessage): void => {
    if (stream.writableEnded) return;
    const out = layer.outgoing(message);
    stream.write(messageEvent(JSON.stringify(out)));
    for (const extra of layer.extraAfterSend(out)) stream.write(messageEvent(JSON.stringify(extra)));
  };

  return {
    id,
    layer,
    send,
    deliver(message, _req, res) {
      res.writeHead(202).end();
      // A response from the client answers a request of ours (a ping from the ping-client tool).
      if (!('method' in message)) {
        void dispatcher.handle(message, send);
        return;
      }
      if (message.method === 'notifications/cancelled') {
        const requestId = (message.params as { requestId?: unknown } | undefined)?.requestId;
        if (running.has(requestId)) running.set(requestId, true);
      }
      const call = message.method === 'tools/call';
      if (call) running.set(message.id, false);
      dispatcher.handle(message, send).then(
        (reply) => {
          const cancelled = call && settle(message.id);
          if (reply && !cancelled) send(reply);
        },
        () => {
          if (call) settle(message.id);
        },
      );
    },
    close() {
      for (const requestId of running.keys()) {
        running.set(requestId, true);
        void dispatcher.handle({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId } }, ignore);
      }
      stream.end();
    },
  };
}

export function start(opts: ServeOptions): Promise<RunningServer> {
  return serveLegacySse(opts, openSession);
}
