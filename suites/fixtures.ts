/** The fixtures every bundled reference server offers (see reference-servers/tools.ts). */
import type { Fixtures } from './check.js';

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
