/** Faults of the stdio transport (catalog section 5). */
import type { FaultDef } from './def.js';
import { STDIO } from './groups.js';

export const STDIO_FAULTS = [
  {
    name: 'stdout-banner',
    description: 'a log line is printed on stdout at start-up',
    catches: ['STDIO-FRAME-02'],
    servers: STDIO,
  },
  {
    name: 'pretty-print-tool-results',
    description: 'tools/call results are written as indented, multi-line JSON',
    catches: ['STDIO-FRAME-01'],
    // Every check that calls a tool loses the multi-line result.
    alsoAffects: ['LC-PROG-01', 'RPC-ERR-04', 'RPC-UTF8-01'],
    servers: STDIO,
  },
  {
    name: 'no-line-buffering',
    description: 'stdin lines are split within each read() chunk, so a message that arrives in two reads is lost',
    catches: ['STDIO-FRAME-04'],
    servers: STDIO,
  },
  {
    name: 'ignore-stdin-eof',
    description: 'the process keeps running after stdin closes',
    catches: ['STDIO-SHUT-01'],
    servers: STDIO,
  },
  {
    name: 'batch-responses',
    description: 'responses that are ready within a few milliseconds of each other are written as one JSON array line',
    catches: ['STDIO-FRAME-03'],
    // answers held for a batch when the process exits are lost: the listens' final results on SIGTERM
    alsoAffects: ['MOD-SUB-05'],
    servers: [...STDIO, 'sdk-stdio-modern'],
  },
  {
    name: 'stderr-invalid-utf8',
    description: 'a start-up log line is written to stderr in Latin-1, not UTF-8',
    catches: ['STDIO-LOG-01'],
    servers: [...STDIO, 'sdk-stdio-modern'],
  },
  {
    name: 'sigterm-ignored',
    description: 'a SIGTERM handler swallows the signal and the process keeps running',
    catches: ['STDIO-SHUT-02'],
    // a process that ignores SIGTERM never shuts down, so it never ends its listens either
    alsoAffects: ['MOD-SUB-05'],
    servers: [...STDIO, 'sdk-stdio-modern'],
  },
  {
    name: 'server-request-on-stdout',
    description: 'the server asks the client for sampling with a JSON-RPC request on stdout when tools/list is called',
    catches: ['STDIO-R4-01'],
    servers: ['sdk-stdio-modern'],
  },
  {
    name: 'crlf-output',
    description: 'stdout lines end in CR LF (a Windows habit) instead of LF alone',
    catches: ['STDIO-FRAME-01'],
    servers: ['min-stdio'],
  },
] as const satisfies readonly FaultDef[];
