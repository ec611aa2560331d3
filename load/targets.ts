/**
 * What a bench runs against: the bundled reference servers (each HTTP one in its own process,
 * so its CPU and memory can be read and it can be pinned; each stdio one spawned by the driver
 * per session), or the user's server from --url/--sse-url/--cmd.
 */
import type { Revision, TransportKind } from '../drivers/protocol.js';
import { LEGACY_REVISIONS, MODERN_REVISION } from '../drivers/protocol.js';
import type { Target } from '../drivers/session.js';
import { WireLog } from '../drivers/wire-log.js';
import type { ServerKind } from '../reference-servers/kinds.js';
import { SERVER_KIND_INFO } from '../reference-servers/kinds.js';
import { loadDriverFactory } from './driver-factory.js';
import { startHosted } from './hosted.js';
import { nodeArgs } from './module-path.js';
import { sessionful } from './sessions.js';
import { harmlessMethod } from './workload.js';

export interface StartedTarget {
  target: Target;
  /** the server process, when the bench started it and it lives as long as the target */
  pid?: number;
  close(): Promise<void>;
}

export interface BenchTarget {
  id: string;
  label: string;
  description: string;
  transport: TransportKind;
  /** revisions to try, in order; the first that opens a session and answers ping is used */
  revisions: readonly Revision[];
  start(pinServer?: string): Promise<StartedTarget>;
}

export function referenceBenchTarget(kind: ServerKind): BenchTarget {
  const info = SERVER_KIND_INFO[kind];
  const base = {
    id: kind,
    description: info.description,
    transport: info.transport,
    // the newest revision the server serves: what a current client would use
    revisions: [info.revisions[info.revisions.length - 1]!],
  };
  if (info.transport === 'stdio') {
    const args = nodeArgs('stdio-host', [kind]);
    return {
      ...base,
      label: kind,
      start: async () => ({ target: { transport: 'stdio', command: process.execPath, args }, close: async () => {} }),
    };
  }
  return {
    ...base,
    label: kind,
    async start(pinServer) {
      const hosted = await startHosted('server-host', [kind], pinServer);
      return { target: { transport: info.transport, url: hosted.url } as Target, pid: hosted.pid, close: hosted.close };
    },
  };
}

/** Revisions worth trying on a user's server, newest legacy first, then the stateless one. */
function revisionsFor(transport: TransportKind): Revision[] {
  const legacyNewestFirst = [...LEGACY_REVISIONS].reverse();
  if (transport === 'sse') return ['2024-11-05'];
  if (transport === 'http') return [...legacyNewestFirst.filter((r) => r !== '2024-11-05'), MODERN_REVISION];
  return [...legacyNewestFirst, MODERN_REVISION];
}

export function userBenchTarget(target: Target, label: string, revision?: Revision): BenchTarget {
  return {
    id: 'target',
    label,
    description: `your server (${target.transport})`,
    transport: target.transport,
    revisions: revision ? [revision] : revisionsFor(target.transport),
    start: async () => ({ target, close: async () => {} }),
  };
}

export interface Probe {
  revision: Revision;
  hasSessions: boolean;
}

/** Open a session and send the harmless request (ping, or server/discover), per revision in order; the first that works is the bench's. */
export async function probeTarget(target: Target, revisions: readonly Revision[], timeoutMs = 10_000): Promise<Probe> {
  const create = await loadDriverFactory();
  const errors: string[] = [];
  for (const revision of revisions) {
    const driver = create(target, new WireLog({ enabled: false }));
    try {
      const session = await driver.open(revision);
      const method = harmlessMethod(revision);
      const reply = await session.request(method, undefined, { timeoutMs });
      if (reply.response && reply.response.error === undefined) return { revision, hasSessions: sessionful(session) };
      errors.push(`${revision}: ${method} got ${reply.response ? JSON.stringify(reply.response.error) : 'no answer'}`);
    } catch (err) {
      errors.push(`${revision}: ${(err as Error).message}`);
    } finally {
      await driver.close();
    }
  }
  throw new Error(`no session could be opened: ${errors.join('; ')}`);
}
