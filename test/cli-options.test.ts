/** Flag values: revisions, numbers, check selection, reference kinds and faults. */
import { describe, expect, it } from 'vitest';
import { parseInteger, parseRevisions, selectChecks } from '../cli/options.js';
import { faultNames, referenceKinds } from '../cli/reference.js';
import { UsageError } from '../cli/usage-error.js';
import { SERVER_KINDS } from '../reference-servers/kinds.js';
import type { Check } from '../suites/check.js';

describe('parseRevisions', () => {
  it('takes repeats and comma lists, maps draft, sorts and dedupes', () => {
    expect(parseRevisions(['2025-11-25,draft', '2024-11-05', '2025-11-25'])).toEqual(['2024-11-05', '2025-11-25', '2026-07-28']);
    expect(parseRevisions([])).toBeUndefined();
  });
  it('rejects an unknown revision, listing the known ones', () => {
    expect(() => parseRevisions(['2025-01-01'])).toThrow(/unknown spec revision "2025-01-01"; known: 2024-11-05, .*draft/);
  });
});

describe('parseInteger', () => {
  it.each([
    ['5000', 5000],
    [undefined, undefined],
  ])('%s', (value, n) => expect(parseInteger(value, '--timeout', 1, 600_000)).toBe(n));
  it.each(['0', '-1', '1.5', 'abc', '', '999999999'])('rejects %j', (value) => {
    expect(() => parseInteger(value, '--timeout', 1, 600_000)).toThrow(UsageError);
  });
});

describe('selectChecks', () => {
  const mk = (id: string) => ({ id }) as Check;
  const all = [mk('A-1'), mk('B-1'), mk('C-1')];
  it('keeps catalog order, takes comma lists, and all when none given', () => {
    expect(selectChecks(all, ['C-1,A-1']).map((c) => c.id)).toEqual(['A-1', 'C-1']);
    expect(selectChecks(all, [])).toBe(all);
  });
  it('an unknown ID is a usage error', () => {
    expect(() => selectChecks(all, ['A-1', 'Z-9'])).toThrow(/unknown check ID Z-9/);
  });
});

describe('reference kinds and faults', () => {
  it('all means every kind; with a fault, every kind that has it', () => {
    expect(referenceKinds('all', [])).toEqual([...SERVER_KINDS]);
    expect(referenceKinds('all', ['stdout-banner'])).toEqual(['sdk-stdio', 'min-stdio']);
  });
  it('named kinds must exist and have the faults', () => {
    expect(referenceKinds('min-http, sdk-stdio,min-http', [])).toEqual(['min-http', 'sdk-stdio']);
    expect(() => referenceKinds('apache', [])).toThrow(/unknown reference server "apache"; known: all, sdk-stdio/);
    expect(() => referenceKinds('min-http', ['stdout-banner'])).toThrow(/min-http has no fault stdout-banner/);
    expect(() => referenceKinds(' , ', [])).toThrow(/needs "all" or server kinds/);
  });
  it('fault names are checked against the registry', () => {
    expect(faultNames(['get-409,get-409', 'no-origin-check'])).toEqual(['get-409', 'no-origin-check']);
    expect(() => faultNames(['nope'])).toThrow(/unknown fault "nope"; known: /);
  });
});
