/**
 * The v2 SDK (`@modelcontextprotocol/server`) over stdio in the 2026-07-28 shape: `serveStdio`
 * with the shared tool server, modern-only (`legacy: 'reject'`: an initialize or claim-less
 * request gets -32022 naming the supported versions). The SDK's own StdioServerTransport runs on
 * wrapped streams behind the shared stdio wire, as in sdk/stdio.ts: the wire reads the real
 * stdin, answers what the SDK would drop (-32700, -32600), and every message the SDK writes goes
 * back through the wire's outgoing faults.
 */
import { PassThrough, Writable } from 'node:stream';
import { parseJSONRPCMessage } from '@modelcontextprotocol/server';
import { StdioServerTransport, serveStdio } from '@modelcontextprotocol/server/stdio';
import type { JsonRpcMessage } from '../../drivers/protocol.js';
import { ErrorCode } from '../../drivers/protocol.js';
import { errorResponse, MessageLayer } from '../message-layer.js';
import { faultyModernOutgoing, faultyModernRequest, modernExtraMessages, modernFaultAnswer, modernStdioFaults } from '../modern-faults.js';
import type { RunningServer, ServeOptions } from '../start.js';
import { openStdioWire } from '../stdio-wire.js';
import { createToolServerV2 } from './v2-tool-server.js';

/** The SDK's schema drops what fails it silently; this says whether it would. */
function sdkAccepts(message: JsonRpcMessage): boolean {
  try {
    parseJSONRPCMessage(message);
    return true;
  } catch {
    return false;
  }
}

export async function start(opts: ServeOptions): Promise<RunningServer> {
  const layer = new MessageLayer(opts.faults);
  const toSdk = new PassThrough();
  const modern = modernStdioFaults(opts.faults);

  const fromSdk = new Writable({
    decodeStrings: false,
    write(chunk: string, _encoding, done) {
      const message = JSON.parse(chunk) as JsonRpcMessage;
      if (modern.dropsOutgoing(message)) return done();
      if (wire.send(faultyModernOutgoing(opts.faults, message))) done();
      else wire.output.once('drain', () => done());
    },
  });

  const handle = serveStdio(() => createToolServerV2({ trustRequestState: modern.trustRequestState }), {
    legacy: 'reject',
    transport: new StdioServerTransport(toSdk, fromSdk),
    onerror: () => {},
  });

  const wire = openStdioWire({
    layer,
    deliver(received) {
      const answer = modernFaultAnswer(opts.faults, received);
      if (answer) {
        wire.send(answer.message);
        return;
      }
      const refusal = modern.refusal(received);
      if (refusal) {
        wire.send(refusal);
        return;
      }
      for (const extra of modernExtraMessages(opts.faults, received)) wire.send(extra);
      const message = faultyModernRequest(opts.faults, received);
      if (!sdkAccepts(message)) {
        if ('id' in message) {
          wire.send(errorResponse(message.id as string, ErrorCode.InvalidRequest, 'Invalid Request: not a valid MCP message'));
        }
        return;
      }
      toSdk.write(`${JSON.stringify(message)}\n`);
    },
    stop: () => handle.close(),
  });

  return { close: () => wire.close() };
}
