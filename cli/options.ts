/** Flag values shared by the subcommands, each checked into a UsageError when wrong. */
import { REVISIONS, type Revision } from '../drivers/protocol.js';
import type { Target } from '../drivers/session.js';
import { type Check, type Fixtures, PROFILES, type Profile } from '../suites/check.js';
import { FIXTURE_TOOLS, type ToolFixture } from '../suites/fixtures.js';
import { UsageError } from './usage-error.js';

/** For repeatable flags: `--spec a --spec b,c`. No commander default, so help shows none. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `--spec` values: revision dates, comma lists, and `draft` (which the spec keeps identical to 2026-07-28). */
export function parseRevisions(values: readonly string[]): Revision[] | undefined {
  const out: Revision[] = [];
  for (const raw of values.flatMap((v) => v.split(','))) {
    const name = raw.trim();
    if (!name) continue;
    const value = name === 'draft' ? '2026-07-28' : name;
    const revision = REVISIONS.find((r) => r === value);
    if (!revision) throw new UsageError(`unknown spec revision "${name}"; known: ${REVISIONS.join(', ')}, draft`);
    if (!out.includes(revision)) out.push(revision);
  }
  return out.length === 0 ? undefined : out.sort((a, b) => REVISIONS.indexOf(a) - REVISIONS.indexOf(b));
}

/** Checks side by side, each with its own driver: a run over the bundled servers takes seconds, not minutes. */
export const DEFAULT_CONCURRENCY = 4;

export function parseProfile(value: string | undefined): Profile {
  if (value === undefined) return 'strict';
  const profile = PROFILES.find((p) => p === value);
  if (!profile) throw new UsageError(`unknown profile "${value}"; known: ${PROFILES.join(', ')}`);
  return profile;
}

export function parseInteger(value: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, not "${value}"`);
  }
  return n;
}

/** `--check ID`: only these, in catalog order; an unknown ID is a typo, not an empty run. */
export function selectChecks(all: readonly Check[], ids: readonly string[]): readonly Check[] {
  const wanted = ids
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  if (wanted.length === 0) return all;
  const known = new Set(all.map((c) => c.id));
  const unknown = wanted.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new UsageError(`unknown check ID ${unknown.join(', ')}; \`mcp-harness list checks\` shows them all`);
  }
  return all.filter((c) => wanted.includes(c.id));
}

export interface AuthFlags {
  authToken?: string;
  authTokenOtherUser?: string;
  authTokenNoScope?: string;
  authTokenWrongAudience?: string;
  authTokenParentScope?: string;
  authTokenEmptyScope?: string;
}

/**
 * `--auth-token` and its companions: the token goes on every request the drivers send (a header
 * of the target) and, with the others, into the fixtures that switch the auth checks on.
 */
export function withAuth(target: Target, flags: AuthFlags): { target: Target; fixtures: Fixtures } {
  const { authToken, authTokenOtherUser, authTokenNoScope, authTokenWrongAudience, authTokenParentScope, authTokenEmptyScope } = flags;
  if (authToken === undefined) {
    const companions = [authTokenOtherUser, authTokenNoScope, authTokenWrongAudience, authTokenParentScope, authTokenEmptyScope];
    if (companions.some((t) => t !== undefined)) {
      throw new UsageError('the --auth-token-* options go with --auth-token');
    }
    return { target, fixtures: {} };
  }
  if (target.transport === 'stdio') throw new UsageError('--auth-token is for HTTP targets: authorization is not defined for stdio');
  if (authToken.trim() === '') throw new UsageError('--auth-token must not be empty');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(target.headers ?? {})) if (name.toLowerCase() !== 'authorization') headers[name] = value;
  headers['Authorization'] = `Bearer ${authToken}`;
  const fixtures: Fixtures = { authToken };
  if (authTokenOtherUser !== undefined) fixtures.authTokenOtherUser = authTokenOtherUser;
  if (authTokenNoScope !== undefined) fixtures.authTokenNoScope = authTokenNoScope;
  if (authTokenWrongAudience !== undefined) fixtures.authTokenWrongAudience = authTokenWrongAudience;
  if (authTokenParentScope !== undefined) fixtures.authTokenParentScope = authTokenParentScope;
  if (authTokenEmptyScope !== undefined) fixtures.authTokenEmptyScope = authTokenEmptyScope;
  return { target: { ...target, headers }, fixtures };
}

export type ToolFlags = Partial<Record<ToolFixture, string>>;

/** The tool fixtures the flags name; a flag given without a name is a usage error. */
export function toolFixtures(flags: ToolFlags): Fixtures {
  const fixtures: Fixtures = {};
  for (const { key, flag } of Object.values(FIXTURE_TOOLS)) {
    const name = flags[key];
    if (name === undefined) continue;
    if (name.trim() === '') throw new UsageError(`${flag} needs the name of a tool`);
    fixtures[key] = name.trim();
  }
  return fixtures;
}

/** MCP_TARGET mode: the same fixtures from MCP_ECHO_TOOL, MCP_SLOW_TOOL, … */
export function toolFixturesFromEnv(env: NodeJS.ProcessEnv): Fixtures {
  const flags: ToolFlags = {};
  for (const { key, env: name } of Object.values(FIXTURE_TOOLS)) {
    const value = env[name];
    if (value !== undefined) flags[key] = value;
  }
  return toolFixtures(flags);
}
