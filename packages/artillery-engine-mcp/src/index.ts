/**
 * artillery-engine-mcp: Artillery's engine for the Model Context Protocol, over the transports
 * of mcp-harness (stdio, legacy HTTP+SSE, Streamable HTTP in its 2025 and 2026-07-28 shapes).
 *
 * Artillery loads `config.engines.mcp` by requiring `artillery-engine-mcp` and constructs it
 * with (script, runner events, helpers) in every worker; `createScenario` is called once per
 * scenario whose `engine` is `mcp` and returns the function each virtual user runs. The build
 * (build.mjs) bundles this file with the harness's drivers into one CommonJS file, so the
 * published package needs neither the harness nor its dependencies at run time.
 */
import type { Driver } from '../../../drivers/session.js';
import { createDriver } from '../../../drivers/index.js';
import { WireLog } from '../../../drivers/wire-log.js';
import type {
  ArtilleryScript,
  EngineHelpers,
  JsonObject,
  RunnerEvents,
  ScenarioEvents,
  ScenarioSpec,
  Step,
  StepDone,
  VuContext,
} from './artillery-types.js';
import { type EngineConfig, parseConfig } from './config.js';
import { Metrics } from './metrics.js';
import { SessionPool, type VuState } from './sessions.js';
import { compileStep, type StepEnv } from './steps.js';

const STATE = Symbol.for('artillery-engine-mcp.vu');

/** `{{ $mcpText(65536) }}`: a text of n bytes, for payload-size scenarios without a processor file. */
const texts = new Map<number, string>();
function mcpText(n: unknown): string {
  const bytes = Math.max(0, Math.min(Number(n) || 0, 64 * 1024 * 1024));
  let text = texts.get(bytes);
  if (text === undefined) {
    text = 'x'.repeat(bytes);
    if (texts.size < 16) texts.set(bytes, text);
  }
  return text;
}

class McpEngine {
  private readonly config: EngineConfig;
  private readonly driver: Driver;
  private readonly pools: SessionPool[] = [];

  constructor(
    private readonly script: ArtilleryScript,
    runner: RunnerEvents,
    private readonly helpers: EngineHelpers,
  ) {
    this.config = parseConfig(script, helpers);
    this.driver = createDriver(this.config.target, new WireLog({ enabled: false }));
    // the worker's users are all done: close what they shared, reap what is left
    runner.on('done', () => {
      void Promise.all(this.pools.map((p) => p.shutdown())).catch(() => {});
    });
  }

  createScenario(spec: ScenarioSpec, events: ScenarioEvents): (context: VuContext, done: StepDone) => void {
    const metrics = new Metrics(events, this.config.transport);
    const pool = new SessionPool(this.driver, this.config.sessions, metrics);
    this.pools.push(pool);
    const config = this.config;
    const env: StepEnv = {
      config,
      pool,
      metrics,
      helpers: this.helpers,
      thinkDefaults: (this.script.config.defaults?.think ?? {}) as JsonObject,
      state(context) {
        const held = context[STATE as unknown as string] as VuState | undefined;
        if (held) return held;
        const vu: VuState = { revision: config.revision, streams: new Set() };
        context[STATE as unknown as string] = vu;
        return vu;
      },
    };
    const steps: Step[] = (spec.flow ?? []).map((step) => compileStep(step, env));
    return (context, done) => {
      events.emit('started');
      context.funcs = { ...context.funcs, $mcpText: mcpText };
      let i = 0;
      const finish = (err: Error | null): void => {
        const vu = context[STATE as unknown as string] as VuState | undefined;
        const released = vu ? pool.release(vu) : Promise.resolve();
        released.then(
          () => done(err, context),
          () => done(err, context),
        );
      };
      const next = (err: Error | null): void => {
        if (err || i >= steps.length) {
          finish(err);
          return;
        }
        const step = steps[i++]!;
        try {
          step(context, (stepErr) => next(stepErr));
        } catch (thrown) {
          finish(thrown instanceof Error ? thrown : new Error(String(thrown)));
        }
      };
      next(null);
    };
  }
}

export default McpEngine;
