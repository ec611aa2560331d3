/** The fixtures every bundled reference server offers (see reference-servers/tools.ts). */
import type { Fixtures } from './check.js';

export const REFERENCE_FIXTURES: Fixtures = { echoTool: 'echo', slowTool: 'slow', progressTool: 'progress' };
