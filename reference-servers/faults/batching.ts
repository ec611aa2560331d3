/** Faults of JSON-RPC batching (catalog section 2). */
import type { FaultDef } from './def.js';
import { STDIO, STREAMABLE } from './groups.js';

export const BATCHING_FAULTS = [
  {
    name: 'batch-rejected',
    description: 'JSON-RPC batches are refused with -32600 even on a session negotiated at 2025-03-26',
    catches: ['BATCH-01', 'BATCH-02', 'BATCH-04', 'BATCH-05', 'BATCH-06'],
    servers: [...STDIO, ...STREAMABLE],
  },
  {
    name: 'batch-any-version',
    description: 'JSON-RPC batches are accepted whatever protocol version was negotiated (the SDK default)',
    catches: ['BATCH-06'],
    servers: [...STDIO, ...STREAMABLE],
  },
  {
    name: 'batch-notifications-answered',
    description: 'a batch of only notifications is answered with an empty array',
    catches: ['BATCH-02', 'BATCH-05'],
    servers: [...STDIO, ...STREAMABLE],
  },
  {
    name: 'batch-notifications-200',
    description: 'a POST of an array of notifications is answered 200 instead of 202',
    catches: ['BATCH-05'],
    servers: STREAMABLE,
  },
  {
    name: 'empty-batch-array',
    description: 'an empty array is answered with an array holding the -32600 error instead of the error object alone',
    catches: ['BATCH-03'],
    servers: [...STDIO, ...STREAMABLE],
  },
  {
    name: 'batch-drops-invalid',
    description: 'invalid elements of a batch are dropped without their -32600 errors',
    catches: ['BATCH-04'],
    servers: [...STDIO, ...STREAMABLE],
  },
] as const satisfies readonly FaultDef[];
