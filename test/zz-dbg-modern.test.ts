import { test } from 'vitest';
import { runAgainst, revisionsForFault } from './support/fault-proof.js';
import { FAULTS } from '../reference-servers/faults.js';
import type { ServerKind } from '../reference-servers/kinds.js';
const MINE = process.env.DBG_FAULTS ? process.env.DBG_FAULTS.split(',') : ['discover-missing-supported-versions','no-server-info-meta','meta-not-required','discover-first-required','log-without-level','loglevel-unchecked','server-request-on-stream','initialize-rejected-vaguely','version-header-optional','version-header-mismatch-accepted','mcp-method-optional','header-mismatch-accepted','no-base64-decode','get-200','echo-session-id','last-event-id-rejected','no-accel-buffering-header','host-unchecked','origin-port-ignored','bind-all-interfaces','unknown-sse-session-200','no-origin-check','discover-202','response-text-plain','sse-stream-held-open','progress-token-mixed'];
const KIND = (process.env.DBG_KIND ?? 'sdk-stateless') as ServerKind;
test('dbg', async () => {
  const clean = await runAgainst(KIND, []);
  console.log('CLEAN', clean.filter((r) => r.verdict !== 'pass' && r.verdict !== 'skip').map((r) => `${r.id}:${r.verdict}:${r.actual ?? r.reason}`).join('\n'));
  console.log('CLEANSKIP', clean.filter((r) => r.verdict === 'skip' && /MOD|H4|SEC/.test(r.id)).map((r) => `${r.id}:${r.reason}`).join('\n'));
  const faults = FAULTS.filter((f) => MINE.includes(f.name) && f.servers.includes(KIND));
  const out: string[] = [];
  for (let i = 0; i < faults.length; i += 4) {
    await Promise.all(faults.slice(i, i + 4).map(async (f) => {
      const faulty = await runAgainst(KIND, [f.name], revisionsForFault(f.name, KIND));
      const changed = faulty.filter((r) => { const c = clean.find((x) => x.id === r.id && x.revision === r.revision); return c && c.verdict !== r.verdict; });
      out.push(`${f.name} [${f.catches}] => ${changed.map((r) => `${r.id}:${r.verdict}:${(r.actual ?? r.reason ?? '').slice(0, 150)}`).join(' | ')}`);
    }));
  }
  console.log(out.join('\n'));
}, 400000);
