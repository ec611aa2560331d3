/**
 * The hand-written stdio reference server, the speed baseline: the shared stdio wire and the
 * minimal dispatcher, nothing else. Requests run concurrently (each is a promise of its own), so
 * a slow tool never holds up a ping behind it.
 */
import type { JsonRpcMessage } from '../../drivers/protocol.js';
import { ErrorCode } from '../../drivers/protocol.js';
import { errorResponse, MessageLayer } from '../message-layer.js';
import type { RunningServer, ServeOptions } from '../start.js';
import { openStdioWire } from '../stdio-wire.js';
import { createDispatcher } from './dispatcher.js';

export async function start(opts: ServeOptions): Promise<RunningServer> {
  const dispatcher = createDispatcher({ clientRequests: true });
  const send = (message: JsonRpcMessage) => {
    wire.send(message);
  };
  const layer = new MessageLayer(opts.faults);
  const wire = openStdioWire({
    layer,
    deliver(message) {
      const refused = layer.gate(message);
      if (refused) {
        wire.send(refused);
        return;
      }
      dispatcher.handle(message, send).then(
        (response) => {
          if (response) wire.send(response);
        },
        (err: Error) => {
          if ('id' in message) wire.send(errorResponse(message.id as string, ErrorCode.InternalError, err.message));
        },
      );
    },
  });
  return { close: () => wire.close() };
}
