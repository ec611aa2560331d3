/**
 * The HTTP seams of the Streamable HTTP reference servers: with no fault on every seam is the
 * identity (a clean server does no extra work), each hook belongs to a catalog fault that an HTTP
 * server has, and no server file branches on a fault by name. The mutation proof
 * (test/faults-http.test.ts) shows the hooks make their defects.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findFault, NO_FAULTS } from '../reference-servers/faults/index.js';
import { AUTH_HOOKED_FAULTS, authSeamFor } from '../reference-servers/faults/hooks/http-auth.js';
import { HTTP_HOOKED_FAULTS, httpSeamFor } from '../reference-servers/faults/hooks/http-streamable.js';
import { replyThrough } from '../reference-servers/http/answer.js';
import { CLEAN_SETTINGS } from '../reference-servers/http/seams.js';
import { SERVER_KIND_INFO } from '../reference-servers/kinds.js';
import type { IncomingMessage } from 'node:http';

const req = { headers: {}, method: 'POST' } as unknown as IncomingMessage;

describe('HTTP seams', () => {
  it('are the identity with no fault on', async () => {
    const seam = httpSeamFor(NO_FAULTS);
    expect(seam.settings).toEqual(CLEAN_SETTINGS);
    expect(seam.replies).toBe(false);
    expect(seam.rewrites).toBe(false);
    expect(seam.readsBody).toBe(false);
    expect(seam.afterRouting.size).toBe(0);
    expect(seam.admit({ req, stage: 'route' })).toBeUndefined();
    const message = { jsonrpc: '2.0', id: 1, method: 'ping' };
    expect(seam.inbound(message, {})).toBe(message);
    expect(seam.ahead(message)).toEqual([]);
    const reply = { status: 202, headers: {} };
    expect(seam.reply(reply, { req, occasion: 'accepted' })).toBe(reply);
    const response = new Response('{}', { headers: { 'content-type': 'application/json' } });
    expect(await replyThrough(response, seam, { req, occasion: 'answer' })).toBe(response);
    expect(seam.stream(response, { kind: 'request' })).toBe(response);
  });

  it('a hook is on only with its fault', () => {
    const seam = httpSeamFor(new Set(['notification-200']));
    expect(seam.reply({ status: 202, headers: {} }, { req, occasion: 'accepted' }).status).toBe(200);
    expect(seam.reply({ status: 202, headers: {} }, { req, occasion: 'accepted', request: [] }).status).toBe(202);
    expect(httpSeamFor(new Set(['id-type-coerce'])).afterRouting).toEqual(new Set(['id-type-coerce']));
    expect(httpSeamFor(new Set(['no-retry'])).settings.retryMs).toBeUndefined();
  });

  it('the authorization seam is the identity with no fault on', () => {
    const seam = authSeamFor(NO_FAULTS);
    const params = { error: 'invalid_token', scope: 'mcp' };
    expect(seam.challenge(params, { status: 401 })).toBe(params);
    const doc = { resource: 'http://127.0.0.1:1/mcp' };
    expect(seam.document(doc, 'protected-resource')).toBe(doc);
    expect(seam.letThrough({ kind: 'no-token', knownSession: true })).toBe(false);
    expect(seam.tokenFrom('/mcp?access_token=x')).toBeUndefined();
    expect(seam.holds('mcp', [], false)).toBe(false);
    expect([seam.audienceChecked, seam.sessionsBound]).toEqual([true, true]);
  });

  it('every hooked fault is one an HTTP server has', () => {
    for (const name of [...HTTP_HOOKED_FAULTS, ...AUTH_HOOKED_FAULTS]) {
      const fault = findFault(name);
      expect(fault, name).toBeDefined();
      expect(
        fault!.servers.some((k) => SERVER_KIND_INFO[k].transport === 'http'),
        name,
      ).toBe(true);
    }
  });

  it('no server file branches on a fault by name', () => {
    const files = [
      'sdk/streamable-http.ts',
      'sdk/stateless.ts',
      'sdk/dual.ts',
      'minimal/streamable-http.ts',
      'http/auth.ts',
      'http/answer.ts',
      'http/batch.ts',
    ];
    for (const file of files) {
      const text = readFileSync(new URL(`../reference-servers/${file}`, import.meta.url), 'utf8');
      expect(text.match(/\b(faults|layer)\.has\(|\.has\('[a-z0-9-]+'\)/g), file).toBeNull();
    }
  });
});
