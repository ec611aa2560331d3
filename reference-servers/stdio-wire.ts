/**
 * The stdio wire both stdio reference servers share: the stdin line reader with classification
 * and rejection answers, the stdout writer with the outgoing faults, the stdin-EOF behaviour, and
 * the stdio-only faults (stdout-banner, no-line-buffering, ignore-stdin-eof). The server
 * behind it (SDK or hand-written) only ever sees valid messages.
 */
import type { Readable, Writable } from 'node:stream';
import { LineSplitter } from '../drivers/line-splitter.js';
import type { JsonRpcMessage } from '../drivers/protocol.js';
import { ErrorCode } from '../drivers/protocol.js';
import type { MessageLayer } from './message-layer.js';
import { errorResponse } from './message-layer.js';

/** A request line larger than this is answered with a parse error instead of being buffered. */
const MAX_REQUEST_LINE_BYTES = 64 * 1024 * 1024;
/**
 * After stdin closes, work in flight gets this long to finish its answers before the process
 * exits anyway (STDIO-SHUT-01 asks for an exit "promptly", well inside 5 s).
 */
const EOF_EXIT_GRACE_MS = 1_000;
/** How long a queued stdout write may hold up that exit (a reader that stopped reading must not). */
const FLUSH_MAX_MS = 2_000;
const BANNER = 'mcp-harness reference server starting (fault stdout-banner: this line should not be on stdout)\n';

export interface StdioWireOptions {
  layer: MessageLayer;
  /** hand one valid message to the server's MCP logic */
  deliver(message: JsonRpcMessage): void;
  /** close(): stop the server's work (abort handlers). Not called on stdin EOF, where work in flight may finish. */
  stop?(): Promise<void> | void;
  input?: Readable;
  output?: Writable;
  /** how the process ends after stdin EOF (default process.exit) */
  exit?: (code: number) => void;
}

export interface StdioWire {
  /**
   * Write one message through the outgoing faults as one stdout line. Returns false when the
   * output is backed up (wait for its 'drain' event before writing more).
   */
  send(message: JsonRpcMessage): boolean;
  readonly output: Writable;
  /** stop reading stdin and stop the server's work, without ending the process */
  close(): Promise<void>;
}

export function openStdioWire(opts: StdioWireOptions): StdioWire {
  const { layer, deliver } = opts;
  const input = opts.input ?? process.stdin;
  const output = opts.output ?? process.stdout;
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  let stopped = false;

  function send(message: JsonRpcMessage): boolean {
    return output.write(`${layer.serialize(layer.outgoing(message))}\n`);
  }

  function receive(text: string): void {
    // An empty line (or a bare CR) carries no message; answering it would only add noise.
    if (text === '' || text === '\r') return;
    const c = layer.classify(text);
    if (c.kind === 'message') {
      const bogus = layer.answerToNotification(c.message);
      if (bogus) send(bogus);
      deliver(c.message);
      return;
    }
    if (c.kind === 'batch') {
      send(errorResponse(null, ErrorCode.InvalidRequest, 'Invalid Request: batches are not supported'));
      return;
    }
    // JSON-RPC 2.0 requires -32700 for unparseable input and -32600 for an invalid request;
    // the SDK's stdio transport drops both silently, so the wire answers them for every server.
    const answer = layer.rejection(c);
    if (answer) send(answer);
  }

  function rejectOversize(): void {
    const answer = layer.rejection({ kind: 'parse-error' });
    if (answer) send(answer);
  }

  const reader: ChunkReader = layer.has('no-line-buffering')
    ? unbufferedLineReader(receive)
    : lineReader(receive, rejectOversize);
  const onData = (chunk: Buffer) => reader.push(chunk);

  function stopReading(): void {
    if (stopped) return;
    stopped = true;
    input.off('data', onData);
    input.off('end', onEnd);
    input.pause();
  }

  async function close(): Promise<void> {
    stopReading();
    await opts.stop?.();
  }

  function onEnd(): void {
    // A last line without its LF is still answered: lenient in what the server accepts.
    reader.end();
    if (layer.has('ignore-stdin-eof')) {
      // The defect: nothing keeps the process alive after EOF in a clean server; this timer does.
      setInterval(() => {}, 1 << 30);
      return;
    }
    stopReading();
    // Answers already under way may still go out, but in-flight timers (a slow tool) must not hold
    // the process open: the process ends by itself when nothing is left, or at the grace's end.
    setTimeout(exitWhenFlushed, EOF_EXIT_GRACE_MS).unref();
  }

  // stdout to a pipe is asynchronous: exiting with writes queued would cut the last answer short.
  function exitWhenFlushed(): void {
    if (output.writableLength === 0) {
      exit(0);
      return;
    }
    output.write('', () => exit(0));
    setTimeout(() => exit(0), FLUSH_MAX_MS).unref();
  }

  // A client that went away leaves nothing to answer; EPIPE must not crash with a stack trace on stderr.
  output.on('error', () => {
    if (layer.has('ignore-stdin-eof')) return;
    stopReading();
    exit(0);
  });

  if (layer.has('stdout-banner')) output.write(BANNER);
  input.on('data', onData);
  input.on('end', onEnd);

  return { send, output, close };
}

interface ChunkReader {
  push(chunk: Buffer): void;
  end(): void;
}

/**
 * Fault no-line-buffering: lines are split within each read() chunk, but a piece without its LF
 * is parsed on its own instead of being joined to the next chunk — the classic bug of a server
 * that treats one read as whole messages. It works until a write is split across reads.
 */
function unbufferedLineReader(receive: (text: string) => void): ChunkReader {
  return {
    push: (chunk) => {
      for (const piece of chunk.toString('utf8').split('\n')) if (piece !== '') receive(piece);
    },
    end: () => {},
  };
}

/** stdin chunks to LF-delimited lines (a trailing CR is JSON whitespace, so it needs no stripping). */
function lineReader(receive: (text: string) => void, oversize: () => void): ChunkReader {
  const splitter = new LineSplitter({ line: (bytes) => receive(bytes.toString('utf8')), oversize }, MAX_REQUEST_LINE_BYTES);
  return { push: (chunk) => splitter.push(chunk), end: () => splitter.end() };
}
