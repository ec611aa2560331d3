/**
 * Probes shared by the checks that need authorization switched on: the authorization checks of
 * catalog section 10 and the session-security rows of section 7 (SEC-SESS-01/02). They live
 * here, not in either section's file, because both sections use them.
 */
import type { HttpReply, HttpSession } from '../drivers/session.js';
import type { CheckContext, Outcome } from './check.js';
import { ok, violated } from './check.js';
import { describeStatus } from './probes.js';

/** What a check that needs a token declares (the token itself comes from --auth-token). */
export const AUTH = ['auth'] as const;

/**
 * A session opened with the given token, and a control request that must succeed with it: a
 * server that refuses everything must not pass a check that expects a refusal.
 */
export async function authedSession(ctx: CheckContext): Promise<HttpSession | Outcome> {
  const session = await ctx.http();
  const control = await session.probe({});
  if (control.status < 200 || control.status > 299) {
    return violated('the harmless request with the given token succeeds (control)', describeStatus(control.status, control.error), 'info');
  }
  return session;
}

export function bearer(token: string): string {
  return `Bearer ${token}`;
}

/** 401, else what came instead. */
export function expect401(reply: HttpReply, what: string): Outcome {
  if (reply.status !== 401) return violated(`401 for ${what}`, describeStatus(reply.status, reply.error));
  return ok();
}
