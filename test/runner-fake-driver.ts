/**
 * A scripted driver for the runner's own tests: no processes or sockets, so each test can say
 * exactly how the "target" behaves (which revisions it serves, when it dies) and count what the
 * runner opened and closed.
 */
import { isModern, type JsonRpcMessage, type Revision, type TransportKind } from '../drivers/protocol.js';
import type { Driver, OpenOptions, RawReply, RequestOptions, RpcReply, RpcSession, Target } from '../drivers/session.js';
import type { WireLog } from '../drivers/wire-log.js';

export interface FakeBehaviour {
  transport?: TransportKind;
  /** revisions the fake target serves */
  serves: readonly Revision[];
  /** once true, every open() fails as if the connection were refused */
  dead?: boolean;
  /** open() never settles (a target that accepts but never answers) */
  hangOnOpen?: boolean;
}

export class FakeDriver implements Driver {
  readonly transport: TransportKind;
  opened = 0;
  closed = 0;
  /** the options of every request, for tests of defaults the runner applies */
  readonly requestOptions: (RequestOptions | undefined)[] = [];
  driverClosed = false;

  constructor(
    readonly log: WireLog,
    readonly behaviour: FakeBehaviour,
  ) {
    this.transport = behaviour.transport ?? 'stdio';
  }

  get openNow(): number {
    return this.opened - this.closed;
  }

  async open(revision: Revision, _opts?: OpenOptions): Promise<RpcSession> {
    if (this.behaviour.hangOnOpen) return new Promise<never>(() => {});
    if (this.behaviour.dead) throw new Error('connect ECONNREFUSED 127.0.0.1:1');
    this.opened++;
    return new FakeSession(this, revision);
  }

  async close(): Promise<void> {
    this.driverClosed = true;
  }
}

class FakeSession implements RpcSession {
  readonly received: JsonRpcMessage[] = [];
  private closedOnce = false;
  private nextId = 1;

  constructor(
    private readonly driver: FakeDriver,
    readonly revision: Revision,
  ) {}

  get transport(): TransportKind {
    return this.driver.transport;
  }

  get log(): WireLog {
    return this.driver.log;
  }

  async request(method: string, params: Record<string, unknown> = {}, opts?: RequestOptions): Promise<RpcReply> {
    this.driver.requestOptions.push(opts);
    const id = this.nextId++;
    this.log.record({ channel: 'stdin', direction: 'out', summary: method, data: JSON.stringify({ id, method, params }) });
    const response = this.answer(id, method, params);
    this.log.record({ channel: 'stdout', direction: 'in', summary: `response ${id}`, data: JSON.stringify(response) });
    this.received.push(response);
    return { response, messages: [response], timedOut: false };
  }

  private answer(id: number, method: string, params: Record<string, unknown>): JsonRpcMessage {
    const serves = this.driver.behaviour.serves;
    const latestLegacy = [...serves].filter((r) => !isModern(r)).pop() ?? '1999-01-01';
    if (method === 'initialize') {
      const asked = params.protocolVersion as Revision;
      const version = serves.includes(asked) ? asked : latestLegacy;
      return { jsonrpc: '2.0', id, result: { protocolVersion: version, serverInfo: { name: 'fake\x1b[31m', version: '1' } } };
    }
    if (method === 'server/discover') {
      if (serves.some(isModern)) return { jsonrpc: '2.0', id, result: { supportedVersions: serves } };
      return { jsonrpc: '2.0', id, error: { code: -32601, message: 'Method not found' } };
    }
    return { jsonrpc: '2.0', id, result: {} };
  }

  async notify(): Promise<RawReply> {
    return { messages: [], nonJson: [] };
  }

  async sendRaw(): Promise<RawReply> {
    return { messages: [], nonJson: [] };
  }

  async close(): Promise<void> {
    if (this.closedOnce) return;
    this.closedOnce = true;
    this.driver.closed++;
  }
}

export function fakeTarget(transport: TransportKind = 'stdio'): Target {
  if (transport === 'stdio') return { transport, command: 'fake', args: [] };
  return { transport, url: 'http://127.0.0.1:1/mcp' };
}
