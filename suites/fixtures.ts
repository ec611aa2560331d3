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
export type ToolFixture = 'echoTool' | 'slowTool' | 'progressTool' | 'clientRequestTool' | 'notifyTool' | 'paramTool' | 'inputTool' | 'changeTool';

export interface FixtureTool {
  key: ToolFixture;
  /** what a check names in `needs` */
  feature: Feature;
  /** the `mcp-harness test` option that names it (commander turns `--echo-tool` into `echoTool`) */
  flag: string;
  /** the same in MCP_TARGET mode */
  env: string;
  /** in a skip reason: "needs <what>" */
  what: string;
  /** the contract a user's tool must keep: the checks call it with exactly these arguments */
  contract: string;
}

/** The fixture tools a user's server may offer, and how each is named; the reference servers' tools keep the contracts. */
export const FIXTURE_TOOLS: readonly FixtureTool[] = [
  {
    key: 'echoTool',
    feature: 'echo-tool',
    flag: '--echo-tool',
    env: 'MCP_ECHO_TOOL',
    what: 'an echo tool',
    contract: 'a tool that answers its string argument `text` back as text content',
  },
  {
    key: 'slowTool',
    feature: 'slow-tool',
    flag: '--slow-tool',
    env: 'MCP_SLOW_TOOL',
    what: 'a slow tool',
    contract: 'a tool that takes `ms` milliseconds to answer (cancellation, SSE streams)',
  },
  {
    key: 'progressTool',
    feature: 'progress-tool',
    flag: '--progress-tool',
    env: 'MCP_PROGRESS_TOOL',
    what: 'a tool that reports progress',
    contract: 'a tool that sends `steps` progress notifications `intervalMs` apart when the call carries a progressToken',
  },
  {
    key: 'clientRequestTool',
    feature: 'client-request-tool',
    flag: '--client-request-tool',
    env: 'MCP_CLIENT_REQUEST_TOOL',
    what: 'a tool that sends the client requests',
    contract: 'a tool (no arguments) that sends the client requests, such as pings, while it runs (RPC-ID-02)',
  },
  {
    key: 'notifyTool',
    feature: 'notify-tool',
    flag: '--notify-tool',
    env: 'MCP_NOTIFY_TOOL',
    what: 'a tool that sends the session a notification of its own',
    contract: 'a tool (no arguments) that makes the server send the session notifications/tools/list_changed (SHTTP-MULTI-01)',
  },
  {
    key: 'paramTool',
    feature: 'param-tool',
    flag: '--param-tool',
    env: 'MCP_PARAM_TOOL',
    what: 'a tool with x-mcp-header parameters',
    contract: '2026-07-28: a tool whose inputSchema marks a top-level string parameter with x-mcp-header (H4-HDR-08)',
  },
  {
    key: 'inputTool',
    feature: 'input-tool',
    flag: '--input-tool',
    env: 'MCP_INPUT_TOOL',
    what: 'a tool that asks for input (input-required result)',
    contract: '2026-07-28: a tool (no arguments) that answers with an input-required result asking for a form elicitation',
  },
  {
    key: 'changeTool',
    feature: 'change-tool',
    flag: '--change-tool',
    env: 'MCP_CHANGE_TOOL',
    what: 'a tool that announces a tool-list change to listeners',
    contract: '2026-07-28: a tool (no arguments) that notifies listeners of a tool-list change (MOD-SUB-*)',
  },
];
