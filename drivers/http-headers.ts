/** Header helpers both HTTP drivers share. Header names compare case-insensitively (RFC 9110). */

/**
 * `base` changed by `overrides`: a string sets the header (replacing any spelling of the same
 * name, and sent in the override's spelling), undefined removes it. `base` is not modified.
 */
export function mergeHeaders(
  base: Record<string, string>,
  overrides: Record<string, string | undefined> | undefined,
): Record<string, string> {
  if (overrides === undefined) return base;
  const out: Record<string, string> = {};
  const overridden = new Set<string>();
  for (const name of Object.keys(overrides)) overridden.add(name.toLowerCase());
  for (const [name, value] of Object.entries(base)) {
    if (!overridden.has(name.toLowerCase())) out[name] = value;
  }
  for (const [name, value] of Object.entries(overrides)) {
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** The value of header `name` in any spelling. */
export function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const direct = headers[name] ?? headers[name.toLowerCase()];
  if (direct !== undefined) return direct;
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === lower) return value;
  return undefined;
}

const SENTINEL_PREFIX = '=?base64?';
const SENTINEL_SUFFIX = '?=';
/** Visible ASCII, space and tab, with no whitespace at either end (2026-07-28 "Value Encoding"). */
const HEADER_SAFE = /^(?:[\x21-\x7E](?:[\x20\x09\x21-\x7E]*[\x21-\x7E])?)?$/;

/**
 * A body value as the 2026-07-28 `Mcp-Name` / `Mcp-Param-*` header carries it: as is when it is
 * header-safe ASCII, else (and when it looks like the sentinel itself) `=?base64?<utf-8 b64>?=`.
 */
export function mcpHeaderValue(value: string): string {
  const looksEncoded = value.startsWith(SENTINEL_PREFIX) && value.endsWith(SENTINEL_SUFFIX);
  if (HEADER_SAFE.test(value) && !looksEncoded) return value;
  return `${SENTINEL_PREFIX}${Buffer.from(value, 'utf8').toString('base64')}${SENTINEL_SUFFIX}`;
}
