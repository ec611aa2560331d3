/**
 * The scenario steps, each compiled once into an Artillery step function `(context, done)`.
 *
 * A step is one key naming the action (`callTool: {...}`), beside optional keys that apply to
 * any step: `think` (seconds to pause after it, templated like Artillery's own think step) and
 * `continueOnError` (a failed request is counted but does not end the virtual user). The action's
 * value is templated per virtual user with Artillery's helpers.template, so `{{ var }}` reads
 * config variables, payload-file fields and `$env`, as in Artillery's built-in engines.
 */
import type { HttpSession, RequestOptions, RpcReply, RpcSession } from '../../../drivers/session.js';
import type { EngineHelpers, JsonObject, Step, VuContext } from './artillery-types.js';
import { ConfigError, type EngineConfig, parseRevision } from './config.js';
import { ERROR, failureOfError, METRIC, type Metrics } from './metrics.js';
import { type SessionPool, SessionFailure, type VuState } from './sessions.js';

export const ACTIONS = [
  'initialize',
  'listTools',
  'callTool',
  'ping',
  'readResource',
  'request',
  'notify',
  'openStream',
  'terminate',
] as const;
type Action = (typeof ACTIONS)[number];
const STEP_OPTIONS = ['think', 'jitter', 'continueOnError'];
const LOOP_KEYS = ['loop', 'count', 'over', 'loopValue'];
/** a `loop` without `count` or `over` would never end: Artillery's -1 is refused here */
const MAX_LOOP = 10_000_000;

/** A failed request, handed to Artillery's callback so that the user counts as failed. */
export class StepFailure extends Error {
  constructor(readonly code: string) {
    super(code);
    this.name = 'StepFailure';
  }
}

export interface StepEnv {
  config: EngineConfig;
  pool: SessionPool;
  metrics: Metrics;
  helpers: EngineHelpers;
  /** the VU's state on its context (created on first use) */
  state(context: VuContext): VuState;
  thinkDefaults: JsonObject;
}

type Params = Record<string, unknown>;

function object(value: unknown, what: string): Params {
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new ConfigError(`${what} must be a map`);
  return value as Params;
}

/** The harmless request of a revision: ping, which 2026-07-28 dropped for server/discover. */
function pingMethod(session: RpcSession): string {
  return session.revision === '2026-07-28' ? 'server/discover' : 'ping';
}

export function compileStep(raw: JsonObject, env: StepEnv): Step {
  const keys = Object.keys(raw);
  const actions = keys.filter((k) => (ACTIONS as readonly string[]).includes(k)) as Action[];
  const unknown = keys.filter((k) => !actions.includes(k as Action) && !STEP_OPTIONS.includes(k));
  if (actions.length === 0 && keys.length === 1 && keys[0] === 'think') return env.helpers.createThink(raw, env.thinkDefaults);
  if (keys.includes('loop')) return compileLoop(raw, keys, env);
  if (actions.length !== 1 || unknown.length > 0) {
    throw new ConfigError(
      `a step needs exactly one of ${ACTIONS.join(', ')} (besides think, continueOnError); got ${JSON.stringify(keys)}`,
    );
  }
  const action = actions[0]!;
  const run = RUNS[action];
  const spec = raw[action];
  object(spec, action);
  const continueOnError = raw.continueOnError === true || env.config.continueOnError;
  const think =
    raw.think !== undefined
      ? env.helpers.createThink({ think: raw.think, ...(raw.jitter ? { jitter: raw.jitter } : {}) }, env.thinkDefaults)
      : undefined;
  const act = (context: VuContext): Promise<string | undefined> => {
    const templated = object(env.helpers.template(spec ?? {}, context), action);
    return run(templated, env.state(context), context, env);
  };
  return (context, done) => {
    act(context).then(
      (failure) => {
        if (failure !== undefined && !continueOnError) done(new StepFailure(failure), context);
        else if (think) think(context, done);
        else done(null, context);
      },
      (err: unknown) => {
        // a session that could not be opened was counted where it failed; anything else is counted here
        if (!(err instanceof SessionFailure)) env.metrics.error(failureOfError(err));
        if (!continueOnError) done(err instanceof Error ? err : new Error(String(err)), context);
        else if (think) think(context, done);
        else done(null, context);
      },
    );
  };
}

/**
 * Artillery's `loop` (`count` times, or once per element of `over`), with this engine's steps
 * inside: a closed loop of N requests in flight is N virtual users, each looping.
 */
function compileLoop(raw: JsonObject, keys: string[], env: StepEnv): Step {
  const extra = keys.filter((k) => !LOOP_KEYS.includes(k));
  if (extra.length > 0 || !Array.isArray(raw.loop))
    throw new ConfigError(`a loop step is { loop: [steps], count | over }; got ${JSON.stringify(keys)}`);
  if (raw.count === undefined && raw.over === undefined)
    throw new ConfigError('a loop needs a count or an over list: every loop is bounded');
  const count = typeof raw.count === 'string' ? raw.count : Math.min(Number(raw.count ?? -1), MAX_LOOP);
  if (typeof count === 'number' && raw.over === undefined && !(count >= 0))
    throw new ConfigError('loop.count must be a number of iterations');
  const steps = raw.loop.map((step) => compileStep(object(step, 'a loop step') as JsonObject, env));
  return env.helpers.createLoopWithCount(count, steps, {
    loopValue: typeof raw.loopValue === 'string' ? raw.loopValue : '$loopCount',
    ...(raw.over !== undefined ? { overValues: raw.over } : {}),
  });
}

/** One request, timed and counted; resolves with its failure code, if any. */
async function request(
  env: StepEnv,
  vu: VuState,
  method: string | ((s: RpcSession) => string),
  params: Params | undefined,
  spec: Params = {},
): Promise<string | undefined> {
  // `meta`: extra `_meta` entries, e.g. a progressToken (the 2026-07-28 keys are the driver's)
  const options: RequestOptions = { timeoutMs: env.config.timeoutMs };
  if (spec.meta !== undefined) options.meta = object(spec.meta, 'meta');
  return env.pool.with(vu, async (session) => {
    const name = typeof method === 'string' ? method : method(session);
    env.metrics.sent(name, params);
    const t0 = performance.now();
    const reply: RpcReply = await session.request(name, params, options);
    return env.metrics.replied(name, performance.now() - t0, reply);
  });
}

const RUNS: Record<Action, (spec: Params, vu: VuState, context: VuContext, env: StepEnv) => Promise<string | undefined>> = {
  async initialize(spec, vu, _context, env) {
    const revision = parseRevision(spec.revision as string | undefined, 'initialize.revision') ?? env.config.revision;
    await env.pool.initialize(vu, revision);
    return undefined;
  },
  listTools: (spec, vu, _c, env) => request(env, vu, 'tools/list', spec.cursor === undefined ? undefined : { cursor: spec.cursor }, spec),
  callTool(spec, vu, _c, env) {
    if (typeof spec.name !== 'string') throw new ConfigError('callTool.name must be a string');
    return request(env, vu, 'tools/call', { name: spec.name, arguments: object(spec.arguments, 'callTool.arguments') }, spec);
  },
  ping: (spec, vu, _c, env) => request(env, vu, pingMethod, undefined, spec),
  readResource(spec, vu, _c, env) {
    if (typeof spec.uri !== 'string') throw new ConfigError('readResource.uri must be a string');
    return request(env, vu, 'resources/read', { uri: spec.uri }, spec);
  },
  request(spec, vu, _c, env) {
    if (typeof spec.method !== 'string') throw new ConfigError('request.method must be a string');
    return request(env, vu, spec.method, spec.params === undefined ? undefined : object(spec.params, 'request.params'), spec);
  },
  async notify(spec, vu, _c, env) {
    if (typeof spec.method !== 'string') throw new ConfigError('notify.method must be a string');
    const method = spec.method;
    const params = spec.params === undefined ? undefined : object(spec.params, 'notify.params');
    return env.pool.with(vu, async (session) => {
      // nothing is to come back: no quiet window to sit through under load
      const reply = await session.notify(method, params, { until: 'quiet', timeoutMs: 0 });
      env.metrics.notified(method, params, reply.status);
      const status = reply.status;
      if (status !== undefined && (status < 200 || status > 299)) return status === 0 ? ERROR.transportClosed : ERROR.httpStatus(status);
      return undefined;
    });
  },
  openStream: (spec, vu, _c, env) => openStream(spec, vu, env),
  async terminate(_spec, vu, _c, env) {
    await env.pool.terminate(vu);
    return undefined;
  },
};

/**
 * The GET listen stream of a Streamable HTTP session (2025 era), open in the background while the
 * user's next steps run, its events counted as they arrive; it closes after `duration` seconds or
 * when the user's session ends. On stdio and legacy SSE the server's channel is always open, so
 * the step opens nothing there.
 */
async function openStream(spec: Params, vu: VuState, env: StepEnv): Promise<string | undefined> {
  if (env.config.transport !== 'http') return undefined;
  const durationMs = spec.duration === undefined ? Number.POSITIVE_INFINITY : Number(spec.duration) * 1000;
  if (!(durationMs > 0)) throw new ConfigError('openStream.duration must be a positive number of seconds');
  return env.pool.with(vu, async (rpc) => {
    const session = rpc as HttpSession;
    const headers = session.headersFor();
    delete headers['Content-Type'];
    headers['Accept'] = 'text/event-stream';
    const stream = await session.openStream({ method: 'GET', headers, timeoutMs: env.config.timeoutMs, maxEvents: 100_000 });
    if (stream.status !== 200) {
      await stream.close();
      const code = stream.status === 0 ? ERROR.transportClosed : ERROR.streamRefused(stream.status);
      env.metrics.error(code);
      return code;
    }
    env.metrics.counter(METRIC.streamsOpened);
    let closed = false;
    const handle = {
      close: async () => {
        closed = true;
        await stream.close();
      },
    };
    vu.streams.add(handle);
    const until = performance.now() + durationMs;
    void (async () => {
      // bounded: by the duration, by the stream's end or the user's close, and by maxEvents
      for (let n = 0; n < 100_000; n++) {
        const left = until - performance.now();
        if (closed || left <= 0 || stream.ended) break;
        const event = await stream.next(Math.min(left, 1_000));
        if (event && !closed) env.metrics.counter(METRIC.streamEvents);
      }
      vu.streams.delete(handle);
      await handle.close();
    })();
    return undefined;
  });
}
