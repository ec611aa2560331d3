/**
 * The check model. A check is data plus one run function, like an h2spec test case: an ID from
 * ../shared/spec-requirements.md, the requirement in one sentence, a spec link, and `run`, which
 * talks only to a driver through the context and returns an outcome. The runner turns the outcome
 * into a verdict by the check's level and attaches the wire-log entries as evidence.
 */
import type { Revision, TransportKind } from '../drivers/protocol.js';
import type {
  HttpFamilySession,
  HttpSession,
  LegacySseSession,
  OpenOptions,
  RpcSession,
  StdioSession,
  Target,
} from '../drivers/session.js';
import type { WireLog } from '../drivers/wire-log.js';

/** MUST covers MUST, MUST NOT and the MUSTs inherited from JSON-RPC; INF is an inference or robustness probe. */
export type Level = 'MUST' | 'SHOULD' | 'MAY' | 'INF';
/** `expected`: a fail, warn or error the user listed as known (--expected-failures); the exit code ignores it. */
export type Verdict = 'pass' | 'fail' | 'warn' | 'info' | 'skip' | 'error' | 'expected';

/** Fixtures a check may need from the target, beyond plain black-box access. */
export type Feature =
  | 'slow-tool'
  | 'progress-tool'
  | 'echo-tool'
  | 'auth'
  | 'param-tool'
  | 'input-tool'
  | 'change-tool'
  | 'notify-tool'
  | 'client-request-tool';

/** What the target offers, so that checks needing a fixture can run or skip with a reason. */
export interface Fixtures {
  /** a tool that echoes its `text` argument */
  echoTool?: string;
  /** a tool that takes a while (argument `ms`) */
  slowTool?: string;
  /** a tool that sends progress notifications when given a progressToken */
  progressTool?: string;
  /** a tool that sends the client requests (pings) while it runs and answers once they are answered (RPC-ID-02) */
  clientRequestTool?: string;
  /**
   * a tool whose inputSchema annotates a top-level string parameter (and optionally an integer
   * one) with x-mcp-header, callable with only those arguments (H4-HDR-08)
   */
  paramTool?: string;
  /**
   * a tool that makes the server send the session a notification belonging to no request
   * (notifications/tools/list_changed); the reference servers' also takes `closeGetStream: true`
   * to end the GET stream's connection first (SHTTP-MULTI-01, SHTTP-GET-04)
   */
  notifyTool?: string;
  /**
   * 2026-07-28: a tool that takes no arguments and returns an input-required result asking for an
   * elicitation (form mode), with a requestState (MOD-CAP-01, MOD-MRTR-01)
   */
  inputTool?: string;
  /** 2026-07-28: a tool that takes no arguments and makes the server notify listeners that asked for toolsListChanged (MOD-SUB-*) */
  changeTool?: string;
  /** a valid Bearer token (the driver sends it on every request; `auth` checks remove or replace it) */
  authToken?: string;
  /** a valid token of another user (session binding, SEC-SESS-02) */
  authTokenOtherUser?: string;
  /** a valid token lacking the scope tools/call needs (AUTH-SCOPE-01: the echo tool, else the first listed tool) */
  authTokenNoScope?: string;
  /** a token from the same authorization server issued for another resource (AUTH-TOK-02) */
  authTokenWrongAudience?: string;
  /** a valid token holding only a broader scope that implies the ones tools/call needs (AUTH-SCOPE-02) */
  authTokenParentScope?: string;
  /** a valid token with no scope at all (AUTH-SCOPE-02, with authTokenNoScope) */
  authTokenEmptyScope?: string;
  /** the legacy HTTP+SSE stream URL of a Streamable HTTP server that also serves old clients (COMPAT-SRV-01) */
  legacySseUrl?: string;
}

/**
 * Why a check was skipped, as data, so that renderers fold or group skips without parsing the
 * reason text (which stays the sentence a person reads). The runner sets the causes it decides
 * before a check runs (transport, revision, fixture, token); a check's own skip says `feature`
 * unless it says otherwise.
 */
export type SkipCause =
  /** written for other transports only */
  | { cause: 'transport'; transports: TransportKind[] }
  /** no revision the check applies to is tested on this target (not served, or not one that defines its transport) */
  | { cause: 'revision'; revisions: Revision[] }
  /** needs a fixture tool the user did not name; `option` names it */
  | { cause: 'fixture'; feature: Feature; option: string }
  /** the server lacks the optional feature the check probes; the reason says what was tried */
  | { cause: 'feature' }
  /** needs an auth token, or another kind of token; `option` gives it */
  | { cause: 'token'; option: string }
  /** reserved: a basic rule (the check with ID `by`) failed first, so this one cannot be judged */
  | { cause: 'blocked'; by: string }
  /** the harness could not do its part (launch the server, listen, see its sockets) */
  | { cause: 'harness' };

export type SkipCauseKind = SkipCause['cause'];
/** Keyed, so that a new cause without an entry here does not compile (the report schema lists the same). */
const CAUSE_KINDS: Record<SkipCauseKind, true> = {
  transport: true,
  revision: true,
  fixture: true,
  feature: true,
  token: true,
  blocked: true,
  harness: true,
};
export const SKIP_CAUSES = Object.keys(CAUSE_KINDS) as readonly SkipCauseKind[];

export type Outcome =
  | { kind: 'ok'; note?: string }
  | { kind: 'violated'; expected: string; actual: string; downgrade?: 'warn' | 'info'; tension?: Tension }
  | { kind: 'skip'; reason: string; cause: SkipCause };

/**
 * Where the spec is ambiguous or contradicts common implementations (catalog section 12).
 * `strict` (the default) follows the catalog's recommendations; `lenient` lowers a failure
 * that stems from a listed tension to a warning.
 */
export type Profile = 'strict' | 'lenient';
export const PROFILES: readonly Profile[] = ['strict', 'lenient'];
export type Tension = 'T1' | 'T2' | 'T3' | 'T4' | 'T5' | 'T6' | 'T7' | 'T8' | 'T9' | 'T10' | 'T11' | 'T12';

/** Mark a violation as stemming from a catalog tension, so the lenient profile can lower it. */
export function underTension(tension: Tension, outcome: Outcome): Outcome {
  return outcome.kind === 'violated' ? { ...outcome, tension } : outcome;
}

/** Whether a probe helper gave up with an outcome (a skip, usually) instead of the thing it was asked for. */
export function isOutcome<T extends object>(value: T | Outcome): value is Outcome {
  return 'kind' in value;
}

export const ok = (note?: string): Outcome => (note === undefined ? { kind: 'ok' } : { kind: 'ok', note });
/** A skip, by default because the server lacks the optional feature probed: `reason` says what was tried. */
export const skip = (reason: string, cause: SkipCause = { cause: 'feature' }): Outcome => ({ kind: 'skip', reason, cause });
/**
 * The server did not do what the requirement says. `downgrade` lowers the verdict for
 * outcomes the catalog grades below the check's level (e.g. a 400 where 404 is preferred).
 */
export const violated = (expected: string, actual: string, downgrade?: 'warn' | 'info'): Outcome =>
  downgrade ? { kind: 'violated', expected, actual, downgrade } : { kind: 'violated', expected, actual };

export interface CheckContext {
  readonly transport: TransportKind;
  readonly revision: Revision;
  readonly target: Target;
  /** the revisions discovery found the target to serve (a subset of what the check applies to, or more) */
  readonly supported: readonly Revision[];
  readonly fixtures: Fixtures;
  readonly log: WireLog;
  /** a fresh session at this revision, handshake done unless opts.initialize is false; closed after the check */
  session(opts?: OpenOptions): Promise<RpcSession>;
  /** the same, with the raw level of one transport (throws when the check runs on another) */
  stdio(opts?: OpenOptions): Promise<StdioSession>;
  http(opts?: OpenOptions): Promise<HttpSession>;
  sse(opts?: OpenOptions): Promise<LegacySseSession>;
  /** an HTTP session of either HTTP transport */
  web(opts?: OpenOptions): Promise<HttpFamilySession>;
  /** a session at another revision the target serves, for the probes that mix eras (MOD-COMPAT-02) */
  sessionAt(revision: Revision, opts?: OpenOptions): Promise<RpcSession>;
}

export interface Check {
  id: string;
  title: string;
  /** the requirement, in one sentence */
  requirement: string;
  level: Level;
  /** link to the section of the specification */
  spec: string;
  transports: readonly TransportKind[];
  revisions: readonly Revision[];
  needs?: readonly Feature[];
  run(ctx: CheckContext): Promise<Outcome>;
}

/** A judged outcome (not a skip) gets a judged verdict: the runner relies on it to pair a skip with its cause. */
export function verdictFor(level: Level, outcome: Exclude<Outcome, { kind: 'skip' }>, profile?: Profile): Exclude<Verdict, 'skip'>;
export function verdictFor(level: Level, outcome: Outcome, profile?: Profile): Verdict;
export function verdictFor(level: Level, outcome: Outcome, profile: Profile = 'strict'): Verdict {
  switch (outcome.kind) {
    case 'ok':
      return 'pass';
    case 'skip':
      return 'skip';
    case 'violated': {
      const verdict = outcome.downgrade ?? (level === 'MUST' ? 'fail' : level === 'SHOULD' ? 'warn' : 'info');
      return profile === 'lenient' && outcome.tension && verdict === 'fail' ? 'warn' : verdict;
    }
  }
}

const SPEC_BASE = 'https://modelcontextprotocol.io/specification';
/** A link into the specification: spec('2025-11-25', 'basic/transports#session-management'). */
export function spec(revision: Revision, path: string): string {
  return `${SPEC_BASE}/${revision}/${path}`;
}
