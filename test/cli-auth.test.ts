import { describe, expect, test } from 'vitest';
import { withAuth } from '../cli/options.js';
import { redactQueryTokens } from '../drivers/wire-log.js';

describe('--auth-token', () => {
  test('puts the token on the target, replacing any Authorization header, and switches the auth checks on', () => {
    const { target, fixtures } = withAuth(
      { transport: 'http', url: 'http://127.0.0.1:1/mcp', headers: { authorization: 'Basic x', 'X-Key': 'k' } },
      { authToken: 'tok', authTokenOtherUser: 'other' },
    );
    expect(target).toEqual({ transport: 'http', url: 'http://127.0.0.1:1/mcp', headers: { 'X-Key': 'k', Authorization: 'Bearer tok' } });
    expect(fixtures).toEqual({ authToken: 'tok', authTokenOtherUser: 'other' });
  });

  test('without it nothing changes; its companions alone and stdio targets are usage errors', () => {
    const http = { transport: 'http', url: 'http://127.0.0.1:1/mcp' } as const;
    expect(withAuth(http, {})).toEqual({ target: http, fixtures: {} });
    expect(() => withAuth(http, { authTokenNoScope: 'x' })).toThrow(/--auth-token/);
    expect(() => withAuth({ transport: 'stdio', command: 'node', args: [] }, { authToken: 't' })).toThrow(/HTTP/);
  });

  test('a token in a query string is redacted in the wire log, once', () => {
    const once = redactQueryTokens('POST /mcp?x=1&access_token=secret123 -> 401');
    expect(once).toBe('POST /mcp?x=1&access_token=REDACTED-9-chars -> 401');
    expect(redactQueryTokens(once)).toBe(once);
  });
});
