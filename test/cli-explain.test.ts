/**
 * `mcp-harness explain ID` is the one step from a catalog ID to its check, its faults and its
 * proof (CONTRIBUTING.md): every location it prints must really hold that check or fault, and
 * every fault that names the check must be listed with a proof command that selects its test.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderExplain } from '../cli/explain-command.js';
import { PROJECT_ROOT } from '../cli/self.js';
import { UsageError } from '../cli/usage-error.js';
import { FAULTS } from '../reference-servers/faults/index.js';
import { ALL_CHECKS } from '../suites/index.js';

/** The text at `file:line` of the repository. */
function lineAt(location: string): string {
  const [file, line] = location.split(':') as [string, string];
  return readFileSync(join(PROJECT_ROOT, file), 'utf8').split('\n')[Number(line) - 1] ?? '';
}

describe('explain', () => {
  it.each(ALL_CHECKS.map((c) => c.id))('%s: its check and every fault that names it, at real locations', (id) => {
    const out = renderExplain(id);
    const checkAt = /^ {2}check +(\S+)$/m.exec(out)?.[1] ?? '';
    expect(lineAt(checkAt)).toContain(`'${id}'`);
    const listed = [...out.matchAll(/^ {2}fault +(\S+) {2}\((\S+)\)$/gm)];
    const named = FAULTS.filter((f) => f.catches.includes(id)).map((f) => f.name);
    expect(listed.map((m) => m[1])).toEqual(named);
    for (const [, name, at] of listed) {
      expect(lineAt(at as string)).toContain(`'${name}'`);
      expect(out).toMatch(new RegExp(`proof: npx vitest run test/faults-(stdio|sse|http)\\.test\\.ts -t "fault ${name} "`));
    }
  });

  it('an unknown ID is a usage error', () => {
    expect(() => renderExplain('NOPE-01')).toThrow(UsageError);
  });
});
