/**
 * The slice of Artillery 2's engine interface this engine uses, typed here because Artillery
 * ships no types. Read from @artilleryio/int-core's runner (loadEngines, runScenario): the
 * runner does `new Engine(script, ee, helpers)`, then `engine.createScenario(spec, events)` once
 * per scenario, and calls the returned function once per virtual user with a fresh context.
 */

/** What a step, a scenario or the config holds: YAML turned into JSON. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface ArtilleryScript {
  config: {
    target?: string;
    /** this engine's options (config.mcp) */
    mcp?: JsonObject;
    defaults?: { think?: JsonObject };
    engines?: Record<string, unknown>;
    [key: string]: unknown;
  };
  scenarios?: unknown[];
}

export interface ScenarioSpec {
  name?: string;
  engine?: string;
  flow: JsonObject[];
}

/** A virtual user's context: `vars` hold config variables, payload rows and captures. */
export interface VuContext {
  vars: Record<string, unknown>;
  funcs?: Record<string, unknown>;
  [key: string]: unknown;
}

export type StepDone = (err: Error | null, context: VuContext) => void;
export type Step = (context: VuContext, done: StepDone) => void;

/**
 * The scenario events the runner turns into metrics: 'counter' (name, n), 'histogram' (name,
 * value; kept as a summary with percentiles), 'rate' (name), 'started' (a VU began: the runner
 * counts it pending until its callback), 'error' (code: counted as `errors.<code>`).
 */
export interface ScenarioEvents {
  emit(event: 'counter', name: string, value: number): boolean;
  emit(event: 'histogram', name: string, value: number): boolean;
  emit(event: 'rate', name: string): boolean;
  emit(event: 'started'): boolean;
  emit(event: 'error', code: string): boolean;
}

/** The runner's own emitter, handed to the constructor: it says 'done' when every VU has finished. */
export interface RunnerEvents {
  on(event: 'done', listener: (...args: unknown[]) => void): unknown;
}

/** @artilleryio/int-commons' engine_util, the third constructor argument. */
export interface EngineHelpers {
  template(value: unknown, context: VuContext): unknown;
  createThink(spec: JsonObject, defaults: JsonObject): Step;
  /** `count` of -1 loops forever; `loopValue` names the iteration's variable ($loopCount) */
  createLoopWithCount(count: number | string, steps: Step[], opts: { loopValue: string; overValues?: unknown }): Step;
}
