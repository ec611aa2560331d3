/** The fixtures every bundled reference server offers (see reference-servers/tools.ts). */
import type { Feature, Fixtures } from './check.js';

// paramTool, inputTool, changeTool: only the 2026-07-28 servers serve them, the only revision whose checks use them.
export const REFERENCE_FIXTURES: Fixtures = {
  echoTool: 'echo',
  slowTool: 'slow',
  progressTool: 'progress',
  clientRequestTool: 'ping-client',
  notifyTool: 'notify',
  paramTool: 'locate',
  inputTool: 'confirm',
  changeTool: 'change-tools',
};

/** The Fixtures entries that name a tool of the target. */
export type ToolFixture =
  | 'echoTool'
  | 'slowTool'
  | 'progressTool'
  | 'clientRequestTool'
  | 'notifyTool'
  | 'paramTool'
  | 'inputTool'
  | 'changeTool';

/** The features a check may need that are tools of the target (the other one is `auth`). */
export type ToolFeature = Exclude<Feature, 'auth'>;

export interface FixtureTool {
  key: ToolFixture;
  /** the `mcp-harness test` option that names it (commander turns `--echo-tool` into `echoTool`) */
  flag: string;
  /** the same in MCP_TARGET mode */
  env: string;
  /** in a skip reason: "needs <what>" */
  what: string;
  /** the contract a user's tool must keep: the checks call it with exactly these arguments */
  contract: string;
}

/**
 * The fixture tools a user's server may offer, by the feature a check `needs`, and how each is
 * named (keyed, so that a new tool feature without an entry does not compile); the reference
 * servers' tools keep the contracts.
 */
export const FIXTURE_TOOLS: Record<ToolFeature, FixtureTool> = {
  'echo-tool': {
    key: 'echoTool',
    flag: '--echo-tool',
    env: 'MCP_ECHO_TOOL',
    what: 'an echo tool',
    contract: 'a tool that answers its string argument `text` back as text content',
  },
  'slow-tool': {
    key: 'slowTool',
    flag: '--slow-tool',
    env: 'MCP_SLOW_TOOL',
    what: 'a slow tool',
    contract: 'a tool that takes `ms` milliseconds to answer (cancellation, SSE streams)',
  },
  'progress-tool': {
    key: 'progressTool',
    flag: '--progress-tool',
    env: 'MCP_PROGRESS_TOOL',
    what: 'a tool that reports progress',
    contract: 'a tool that sends `steps` progress notifications `intervalMs` apart when the call carries a progressToken',
  },
  'client-request-tool': {
    key: 'clientRequestTool',
    flag: '--client-request-tool',
    env: 'MCP_CLIENT_REQUEST_TOOL',
    what: 'a tool that sends the client requests',
    contract: 'a tool (no arguments) that sends the client requests, such as pings, while it runs (RPC-ID-02)',
  },
  'notify-tool': {
    key: 'notifyTool',
    flag: '--notify-tool',
    env: 'MCP_NOTIFY_TOOL',
    what: 'a tool that sends the session a notification of its own',
    contract: 'a tool (no arguments) that makes the server send the session notifications/tools/list_changed (SHTTP-MULTI-01)',
  },
  'param-tool': {
    key: 'paramTool',
    flag: '--param-tool',
    env: 'MCP_PARAM_TOOL',
    what: 'a tool with x-mcp-header parameters',
    contract: '2026-07-28: a tool whose inputSchema marks a top-level string parameter with x-mcp-header (H4-HDR-08)',
  },
  'input-tool': {
    key: 'inputTool',
    flag: '--input-tool',
    env: 'MCP_INPUT_TOOL',
    what: 'a tool that asks for input (input-required result)',
    contract: '2026-07-28: a tool (no arguments) that answers with an input-required result asking for a form elicitation',
  },
  'change-tool': {
    key: 'changeTool',
    flag: '--change-tool',
    env: 'MCP_CHANGE_TOOL',
    what: 'a tool that announces a tool-list change to listeners',
    contract: '2026-07-28: a tool (no arguments) that notifies listeners of a tool-list change (MOD-SUB-*)',
  },
};
