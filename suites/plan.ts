/**
 * The plan of a suite run: before anything runs, what each check becomes at each revision on
 * this target. A check for another transport, at no tested revision, or needing a fixture the
 * target was not given is decided here, as a skip with its cause (or, when discovery failed, an
 * error); the rest are units for the runner to run. Planning touches no target.
 */
import { REVISIONS, type Revision, type TransportKind } from '../drivers/protocol.js';
import { describeRevisions } from '../report/revisions.js';
import type { Check, Feature, Fixtures, SkipCause } from './check.js';
import { type Discovery, revisionsDefining } from './discovery.js';
import { FIXTURE_TOOLS } from './fixtures.js';

/** What a feature a check `needs` is in the fixtures, how a user names it, and the skip without it. */
function fixtureFor(feature: Feature): { key: keyof Fixtures; what: string; flag: string; cause: SkipCause } {
  if (feature === 'auth') {
    return {
      key: 'authToken',
      what: 'authorization switched on and a token',
      flag: '--auth-token',
      cause: { cause: 'token', option: '--auth-token' },
    };
  }
  const tool = FIXTURE_TOOLS[feature];
  return { key: tool.key, what: tool.what, flag: `${tool.flag} NAME`, cause: { cause: 'fixture', feature, option: tool.flag } };
}

/** A result known without touching the target: the reason in words, and for a skip its cause. */
export type Decided = { verdict: 'skip'; reason: string; cause: SkipCause } | { verdict: 'error'; reason: string };

/** One result to produce: either known without touching the target, or a check to run. */
export type Unit = ({ kind: 'fixed' } & Decided & { check: Check; revision: Revision }) | { kind: 'run'; check: Check; revision: Revision };

function byRevisionOrder(a: Revision, b: Revision): number {
  return REVISIONS.indexOf(a) - REVISIONS.indexOf(b);
}

function missingFixture(check: Check, fixtures: Fixtures): Decided | undefined {
  for (const feature of check.needs ?? []) {
    const fixture = fixtureFor(feature);
    if (!fixtures[fixture.key]) {
      return { verdict: 'skip', reason: `needs ${fixture.what}, which this target was not given (${fixture.flag})`, cause: fixture.cause };
    }
  }
  return undefined;
}

/** The skip for a check written for other transports; the console folds these into one line by the cause. */
function otherTransport(transports: readonly Check['transports'][number][]): Decided {
  return {
    verdict: 'skip',
    reason: `applies to ${transports.join(' and ')} only`,
    cause: { cause: 'transport', transports: [...transports] },
  };
}

export interface PlanInput {
  transport: TransportKind;
  /** `--spec`: only these revisions */
  revisions: readonly Revision[] | undefined;
  discovery: Discovery;
  fixtures: Fixtures;
}

/**
 * Decide, before running anything, what each check becomes at each revision. `problem` is set
 * when discovery got no revision from the target: every check it could have run is an error.
 */
export function plan(checks: readonly Check[], { transport, revisions, discovery, fixtures }: PlanInput): Unit[] {
  const units: Unit[] = [];
  for (const check of checks) {
    const selected = check.revisions.filter((r) => !revisions || revisions.includes(r)).sort(byRevisionOrder);
    // Narrowed away by --spec: the user asked not to see it.
    if (selected.length === 0) continue;
    const first = selected[0] as Revision;
    if (!check.transports.includes(transport)) {
      units.push({ kind: 'fixed', check, revision: first, ...otherTransport(check.transports) });
      continue;
    }
    if (discovery.problem) {
      const revision = selected.find((r) => revisionsDefining(transport).includes(r)) ?? first;
      units.push({ kind: 'fixed', check, revision, verdict: 'error', reason: discovery.problem });
      continue;
    }
    const tested = selected.filter((r) => discovery.testable.includes(r));
    if (tested.length === 0) {
      // A server may negotiate a revision over a transport that revision does not define
      // (2025-11-25 over legacy SSE): say that, not that the server lacks the revision.
      const servedElsewhere = selected.some((r) => discovery.supported.includes(r));
      const reason = servedElsewhere
        ? `the ${transport} transport is tested at ${describeRevisions(revisionsDefining(transport))} only`
        : `target does not serve ${describeRevisions(selected)}`;
      units.push({ kind: 'fixed', check, revision: first, verdict: 'skip', reason, cause: { cause: 'revision', revisions: selected } });
      continue;
    }
    const lacking = missingFixture(check, fixtures);
    for (const revision of tested) {
      units.push(lacking ? { kind: 'fixed', check, revision, ...lacking } : { kind: 'run', check, revision });
    }
  }
  return units;
}
