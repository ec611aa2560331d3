/**
 * The CheckContext a check runs with. Every session it opens is tracked so the runner can close
 * them all when the check ends, however it ends: a check that throws or overruns its deadline
 * must not leave a stdio process running or an HTTP stream open.
 */
import { DEADLINES, withDeadline } from '../drivers/deadline.js';
import type { Revision, TransportKind } from '../drivers/protocol.js';
import type {
  Driver,
  HttpFamilySession,
  HttpSession,
  LegacySseSession,
  OpenOptions,
  RequestOptions,
  RpcSession,
  StdioSession,
  Target,
} from '../drivers/session.js';
import type { CheckContext, Fixtures } from './check.js';

export interface TrackedContext {
  ctx: CheckContext;
  /** close every session the check opened, and refuse to open more */
  closeAll(): Promise<void>;
}

export interface ContextOptions {
  driver: Driver;
  target: Target;
  revision: Revision;
  /** every revision discovery found the target to serve */
  supported: readonly Revision[];
  fixtures: Fixtures;
  /** `--timeout`: the deadline for requests whose check did not set one */
  requestTimeoutMs?: number;
}

/**
 * `--timeout` reaches the checks by defaulting `timeoutMs` on request(). A Proxy keeps every other
 * member the driver's own; methods are bound to the real session so class-private state works.
 */
function withDefaultTimeout<S extends RpcSession>(session: S, timeoutMs: number): S {
  return new Proxy(session, {
    get(target, prop) {
      if (prop === 'request') {
        return (method: string, params?: Record<string, unknown>, opts?: RequestOptions) =>
          target.request(method, params, { timeoutMs, ...opts });
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

export function createCheckContext(opts: ContextOptions): TrackedContext {
  const { driver, revision } = opts;
  const open: RpcSession[] = [];
  let ended = false;

  async function session(openOpts?: OpenOptions, at: Revision = revision): Promise<RpcSession> {
    if (ended) throw new Error('the check has already ended');
    const s = await driver.open(at, openOpts);
    if (ended) {
      // The check overran its deadline while this session was opening: nobody will close it later.
      await closeQuietly(s);
      throw new Error('the check has already ended');
    }
    open.push(s);
    return opts.requestTimeoutMs === undefined ? s : withDefaultTimeout(s, opts.requestTimeoutMs);
  }

  function requireTransport(wanted: readonly TransportKind[], what: string): void {
    if (!wanted.includes(driver.transport)) {
      throw new Error(`this check needs ${what}, but the target's transport is ${driver.transport}`);
    }
  }

  const ctx: CheckContext = {
    transport: driver.transport,
    revision,
    target: opts.target,
    supported: opts.supported,
    fixtures: opts.fixtures,
    log: driver.log,
    session: (o) => session(o),
    sessionAt: (at, o) => session(o, at),
    async stdio(o) {
      requireTransport(['stdio'], 'a stdio session');
      return (await session(o)) as StdioSession;
    },
    async http(o) {
      requireTransport(['http'], 'a Streamable HTTP session');
      return (await session(o)) as HttpSession;
    },
    async sse(o) {
      requireTransport(['sse'], 'a legacy HTTP+SSE session');
      return (await session(o)) as LegacySseSession;
    },
    async web(o) {
      requireTransport(['http', 'sse'], 'an HTTP session');
      return (await session(o)) as HttpFamilySession;
    },
  };

  return {
    ctx,
    async closeAll() {
      ended = true;
      const sessions = open.splice(0);
      await Promise.all(sessions.map(closeQuietly));
    },
  };
}

/** A close that hangs or throws must not hang the run; the driver's own close() reaps what is left. */
export async function closeQuietly(session: RpcSession): Promise<void> {
  await withDeadline(session.close(), DEADLINES.processExit, 'close session').catch(() => undefined);
}
