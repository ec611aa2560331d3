/**
 * The stdio wire both stdio reference servers share: the stdin line reader with classification
 * and rejection answers, the stdout writer, and the stdin-EOF behaviour. The server behind it
 * (SDK or hand-written) only ever sees valid messages. Defects hook in at two seams: the
 * message seam (through the MessageLayer) and the process seam (start-up writes, the line
 * terminator, line buffering, stdin EOF, signals), composed once from the active faults.
 */
import type { Readable, Writable } from 'node:stream';
import { LineSplitter } from '../drivers/line-splitter.js';
import type { JsonRpcMessage } from '../drivers/protocol.js';
import type { MessageLayer } from './message-layer.js';
import { acceptsBatch, batchRejection, splitBatch } from './http/batch.js';
import { seamsFor } from './faults/hooks/index.js';

/** A request line larger than this is answered with a parse error instead of being buffered. */
const MAX_REQUEST_LINE_BYTES = 64 * 1024 * 1024;
/**
 * After stdin closes, work in flight gets this long to finish its answers before the process
 * exits anyway (STDIO-SHUT-01 asks for an exit "promptly", well inside 5 s).
 */
const EOF_EXIT_GRACE_MS = 1_000;
/** How long a queued stdout write may hold up that exit (a reader that stopped reading must not). */
const FLUSH_MAX_MS = 2_000;
/** Requests of open batches whose answers are being collected (bounded against a client that floods). */
const MAX_OPEN_BATCH_REQUESTS = 10_000;

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
  const proc = seamsFor(layer.faults).process;
  const batchPolicy = layer.batch;
  let stopped = false;

  function send(message: JsonRpcMessage): boolean {
    if (message.method === undefined && 'id' in message && holdForBatch(message)) return true;
    const out = layer.outgoing(message);
    const flowing = write(out);
    for (const extra of layer.extraAfterSend(out)) write(extra);
    return flowing;
  }

  // With a batch window (process seam), what goes out within it is written as one array line.
  let queued: JsonRpcMessage[] = [];
  const window = proc.batchWindowMs;
  function write(out: JsonRpcMessage): boolean {
    if (window === undefined) return output.write(`${layer.serialize(out)}${proc.lineEnd}`);
    queued.push(out);
    if (queued.length === 1) {
      setTimeout(() => {
        const batch = queued;
        queued = [];
        output.write(`${batch.length === 1 ? layer.serialize(batch[0]!) : JSON.stringify(batch)}\n`);
      }, window);
    }
    return true;
  }

  function receive(text: string): void {
    // An empty line (or a bare CR) carries no message; answering it would only add noise.
    if (text === '' || text === '\r') return;
    const c = layer.classify(text);
    if (c.kind === 'message') {
      if (c.message.method === 'initialize' && 'id' in c.message) initializeKey = idKey(c.message.id);
      if (layer.crashesOn(c.message)) {
        // A handler that throws on this message: the process dies as an uncaught TypeError would.
        process.stderr.write("TypeError: Cannot read properties of undefined (reading 'abort')\n");
        exit(1);
        return;
      }
      const bogus = layer.answerToNotification(c.message);
      if (bogus) send(bogus);
      if (layer.swallow(c.message)) return;
      deliver(c.message);
      for (const extra of layer.extraAfterReceive(c.message)) send(extra);
      return;
    }
    if (c.kind === 'batch') {
      receiveBatch(c.items);
      return;
    }
    // JSON-RPC 2.0 requires -32700 for unparseable input and -32600 for an invalid request;
    // the SDK's stdio transport drops both silently, so the wire answers them for every server.
    const answer = layer.rejection(c);
    if (answer) send(answer);
  }

  // ---- batches: they exist only on a session negotiated at 2025-03-26 (BATCH-01, BATCH-06) ----
  // The negotiated version is read off the initialize answer as it goes out.
  let negotiated: string | undefined;
  let initializeKey: string | undefined;
  interface OpenBatch {
    waiting: Set<string>;
    answers: JsonRpcMessage[];
  }
  const openBatches = new Map<string, OpenBatch>();

  /** Note the negotiated version; hold a response that belongs to an open batch. True when held. */
  function holdForBatch(message: JsonRpcMessage): boolean {
    const key = idKey(message.id);
    if (key === initializeKey) {
      initializeKey = undefined;
      const version = (message.result as { protocolVersion?: unknown } | undefined)?.protocolVersion;
      if (typeof version === 'string') negotiated = version;
    }
    const batch = openBatches.get(key);
    if (!batch) return false;
    openBatches.delete(key);
    batch.waiting.delete(key);
    batch.answers.push(layer.outgoing(message));
    if (batch.waiting.size === 0) writeBatch(batch.answers);
    return true;
  }

  function writeBatch(answers: JsonRpcMessage[]): void {
    // A batch of notifications owes nothing.
    if (answers.length === 0 && !batchPolicy.answerNotificationsOnly) return;
    output.write(`${JSON.stringify(answers)}\n`);
  }

  function receiveBatch(items: unknown[]): void {
    if (!batchPolicy.accepts(acceptsBatch(negotiated), negotiated)) {
      send(batchRejection(negotiated));
      return;
    }
    const { valid, errors } = splitBatch(items, layer);
    if (items.length === 0) {
      // JSON-RPC 2.0: an empty array is answered with one error object, not an array.
      const error = layer.outgoing(errors[0]!);
      output.write(`${batchPolicy.emptyAsArray ? JSON.stringify([error]) : layer.serialize(error)}\n`);
      return;
    }
    const batch: OpenBatch = { waiting: new Set(), answers: errors.map((e) => layer.outgoing(e)) };
    for (const m of valid) {
      if (!('id' in m) || openBatches.size >= MAX_OPEN_BATCH_REQUESTS) continue;
      batch.waiting.add(idKey(m.id));
      openBatches.set(idKey(m.id), batch);
    }
    for (const m of valid) deliver(m);
    if (batch.waiting.size === 0) writeBatch(batch.answers);
  }

  function rejectOversize(): void {
    const answer = layer.rejection({ kind: 'parse-error' });
    if (answer) send(answer);
  }

  const reader: ChunkReader = proc.unbufferedLines ? unbufferedLineReader(receive) : lineReader(receive, rejectOversize);
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
    if (proc.stdinEnd() === 'ignore') {
      // Nothing keeps the process alive after EOF in a clean server; a process that ignores it stays.
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
    // a process that ignores the end of its input ignores the end of its output too
    if (proc.stdinEnd() === 'ignore') return;
    stopReading();
    exit(0);
  });

  proc.start({ stdout: output, stderr: process.stderr });
  input.on('data', onData);
  input.on('end', onEnd);

  return { send, output, close };
}

interface ChunkReader {
  push(chunk: Buffer): void;
  end(): void;
}

/**
 * Lines split within each read() chunk (process seam `unbufferedLines`): a piece without its LF
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

function idKey(id: unknown): string {
  return JSON.stringify(id) ?? 'undefined';
}
