/** A URL as a target: Streamable HTTP unless told otherwise or the path ends in /sse (the legacy convention). */
import type { Target } from '../drivers/session.js';
import { UsageError } from './usage-error.js';

export function isHttpUrl(text: string): boolean {
  return /^https?:\/\//i.test(text.trim());
}

/** `where` names the flag or config entry in messages. */
export function urlTarget(
  url: string,
  transport: 'http' | 'sse' | undefined,
  headers: Record<string, string> | undefined,
  where: string,
): Target {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`${where}: "${url}" is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UsageError(`${where}: "${url}" is not an http or https URL`);
  }
  const kind = transport ?? (parsed.pathname.replace(/\/+$/, '').endsWith('/sse') ? 'sse' : 'http');
  return headers ? { transport: kind, url, headers } : { transport: kind, url };
}
