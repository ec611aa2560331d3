/**
 * Session strategies: which MCP session a virtual user's request goes over. The steps ask for a
 * session and hand it back; only this file knows whether that opened one (per-vu on first use,
 * churn every time), reused one (shared) or closed one (churn after each request, per-vu at
 * `terminate` or when the user ends).
 *
 * One driver per engine, that is per Artillery worker: over HTTP its sessions share the
 * worker's connections; over stdio each session is a server process of its own (per virtual
 * user, per worker when shared, per request under churn). The wire log is off, as in the
 * harness's own load engine, so logging costs nothing per request.
 */
import type { Revision } from '../../../drivers/protocol.js';
import type { Driver, RpcSession } from '../../../drivers/session.js';
import type { SessionStrategy } from './config.js';
import { ERROR, type Metrics } from './metrics.js';

/** One virtual user's MCP state, kept on its Artillery context. */
export interface VuState {
  /** the revision its `initialize` step asked for (else the config's) */
  revision: Revision;
  /** its own session (per-vu) */
  session?: RpcSession;
  /** listen streams still open, closed when the user ends */
  streams: Set<{ close(): Promise<void> }>;
}

/** A session that could not be opened: already counted as `errors.mcp.session_failed`. */
export class SessionFailure extends Error {
  constructor(readonly reason: unknown) {
    super(`session failed to open: ${reason instanceof Error ? reason.message : String(reason)}`);
    this.name = 'SessionFailure';
  }
}

export class SessionPool {
  private readonly shared = new Map<Revision, Promise<RpcSession>>();
  private toldFailure = false;

  constructor(
    private readonly driver: Driver,
    readonly strategy: SessionStrategy,
    private readonly metrics: Metrics,
  ) {}

  /** Open a session, counted and timed; a failure is counted and rethrown. */
  private async open(revision: Revision): Promise<RpcSession> {
    const t0 = performance.now();
    try {
      const session = await this.driver.open(revision);
      this.metrics.sessionOpened(performance.now() - t0);
      return session;
    } catch (err) {
      this.metrics.error(ERROR.sessionFailed);
      const failure = new SessionFailure(err);
      // counted every time; said once per worker, so that a run that fails at once says why
      if (!this.toldFailure) {
        this.toldFailure = true;
        console.error(
          `artillery-engine-mcp: ${failure.message}${(err as { detail?: unknown })?.detail ? ` (${String((err as { detail?: unknown }).detail)})` : ''}`,
        );
      }
      throw failure;
    }
  }

  private async close(session: RpcSession): Promise<void> {
    await session.close().catch(() => {});
    this.metrics.sessionTerminated();
  }

  /** The `initialize` step: open the user's session now (per-vu), or make sure the shared one is open. */
  async initialize(vu: VuState, revision: Revision): Promise<void> {
    vu.revision = revision;
    if (this.strategy === 'per-vu') {
      if (vu.session) await this.close(vu.session);
      vu.session = undefined;
      vu.session = await this.open(revision);
    } else if (this.strategy === 'shared') {
      await this.sharedSession(revision);
    }
    // churn: each request opens its own, at the revision noted above
  }

  private sharedSession(revision: Revision): Promise<RpcSession> {
    let session = this.shared.get(revision);
    if (!session) {
      session = this.open(revision);
      // a failed open is not cached: the next user tries again
      session.catch(() => this.shared.delete(revision));
      this.shared.set(revision, session);
    }
    return session;
  }

  /** Run `use` on the session this user's request goes over. */
  async with<T>(vu: VuState, use: (session: RpcSession) => Promise<T>): Promise<T> {
    if (this.strategy === 'shared') return use(await this.sharedSession(vu.revision));
    if (this.strategy === 'churn') {
      const session = await this.open(vu.revision);
      try {
        return await use(session);
      } finally {
        await this.close(session);
      }
    }
    if (!vu.session) vu.session = await this.open(vu.revision);
    return use(vu.session);
  }

  /** The `terminate` step: end the user's own session (DELETE on Streamable HTTP). Shared and churned sessions are not the user's to end. */
  async terminate(vu: VuState): Promise<void> {
    await this.closeStreams(vu);
    if (this.strategy !== 'per-vu' || !vu.session) return;
    const session = vu.session;
    vu.session = undefined;
    await this.close(session);
  }

  /** The user is done: its streams and its own session close. */
  async release(vu: VuState): Promise<void> {
    await this.terminate(vu);
  }

  private async closeStreams(vu: VuState): Promise<void> {
    const streams = [...vu.streams];
    vu.streams.clear();
    await Promise.all(streams.map((s) => s.close().catch(() => {})));
  }

  /** Every user of this worker is done: close the shared sessions, then the driver (which reaps what is left). */
  async shutdown(): Promise<void> {
    const shared = [...this.shared.values()];
    this.shared.clear();
    for (const pending of shared) {
      const session = await pending.catch(() => undefined);
      if (session) await this.close(session);
    }
    await this.driver.close();
  }
}
