/**
 * Server-side validation of the 2026-07-28 `Mcp-Param-{Name}` headers (H4-HDR-08): for each
 * property of a tool's inputSchema annotated with `x-mcp-header`, the header must be present when
 * the argument has a value, decode (Base64 sentinel) to that value, and carry only header-safe
 * characters; integers are compared numerically. The v2 SDK does this only for tools registered
 * on `McpServer`; the reference servers use the low-level `Server`, so they do it here.
 */
import type { IncomingHttpHeaders } from 'node:http';

interface Declaration {
  path: string[];
  header: string;
  type: string | undefined;
}

/** Annotated properties reachable from the root through `properties` keys only. */
function declarations(schema: unknown, path: string[] = []): Declaration[] {
  if (!schema || typeof schema !== 'object') return [];
  const node = schema as Record<string, unknown>;
  const out: Declaration[] = [];
  const header = node['x-mcp-header'];
  if (path.length > 0 && typeof header === 'string' && header !== '') {
    out.push({ path, header, type: typeof node.type === 'string' ? node.type : undefined });
  }
  const props = node.properties;
  if (props && typeof props === 'object') {
    for (const [key, child] of Object.entries(props as Record<string, unknown>)) out.push(...declarations(child, [...path, key]));
  }
  return out;
}

const SENTINEL = /^=\?base64\?([A-Za-z0-9+/]*={0,2})\?=$/;
/** RFC 9110 field-value characters: visible ASCII, space and tab. */
const FIELD_VALUE = /^[\x20-\x7E\t]*$/;

function decode(value: string, anyCharacters: boolean): string | undefined {
  if (!anyCharacters && !FIELD_VALUE.test(value)) return undefined;
  const m = SENTINEL.exec(value);
  if (!m) return value;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(m[1]!, 'base64'));
  } catch {
    return undefined;
  }
}

function valueAt(args: unknown, path: readonly string[]): unknown {
  let node = args;
  for (const key of path) {
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

export interface ParamHeaderLeniency {
  /** compare integers as strings (fault param-header-string-compare) */
  stringCompare?: boolean;
  /** take values with characters outside visible ASCII (fault param-header-any-characters) */
  anyCharacters?: boolean;
}

/** Why the request's Mcp-Param headers disagree with its arguments, or undefined when they agree. */
export function paramHeaderProblem(
  inputSchema: unknown,
  args: unknown,
  headers: IncomingHttpHeaders,
  lenient: ParamHeaderLeniency = {},
): string | undefined {
  for (const d of declarations(inputSchema)) {
    const body = valueAt(args, d.path);
    if (body === undefined || body === null) continue;
    const name = `mcp-param-${d.header.toLowerCase()}`;
    const raw = headers[name];
    if (raw === undefined) return `the body carries ${d.path.join('.')} but the Mcp-Param-${d.header} header is absent`;
    const given = decode(Array.isArray(raw) ? raw.join(', ') : raw, lenient.anyCharacters === true);
    if (given === undefined) return `the Mcp-Param-${d.header} header carries invalid characters or an invalid Base64 value`;
    const equal =
      !lenient.stringCompare && typeof body === 'number' && /^-?\d+(\.\d+)?$/.test(given) ? Number(given) === body : given === String(body);
    if (!equal) return `the Mcp-Param-${d.header} header is ${JSON.stringify(given)} but the body carries ${JSON.stringify(body)}`;
  }
  return undefined;
}
