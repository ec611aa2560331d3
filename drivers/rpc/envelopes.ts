/**
 * What each spec revision wraps around a request, in one place: the `initialize` params of the
 * legacy era (2024-11-05 .. 2025-11-25), the `_meta` every 2026-07-28 request carries, the
 * harmless request of each era (ping, or server/discover, which replaced it), and the requests
 * discovery asks a target with. Drivers, checks, discovery and the load engine all build these
 * here, so a raw probe differs from a driver's own request only in what the probe means to change.
 */
import type { JsonRpcMessage, Revision } from '../protocol.js';
import { HARNESS_CLIENT_INFO, isModern, META, MODERN_REVISION } from '../protocol.js';
import { buildRequest } from './messages.js';

/** 2026-07-28 dropped ping; its harmless request, the one a modern client opens with, is server/discover. */
export const DISCOVER_METHOD = 'server/discover';
export const PING_METHOD = 'ping';

/** The request with no side effects that every server of the revision must answer. */
export function harmlessMethod(revision: Revision): string {
  return isModern(revision) ? DISCOVER_METHOD : PING_METHOD;
}

/** The params of a legacy-era `initialize` offering `protocolVersion`. */
export function initializeParams(protocolVersion: string, capabilities: Record<string, unknown> = {}): Record<string, unknown> {
  return { protocolVersion, capabilities, clientInfo: HARNESS_CLIENT_INFO };
}

/** A driver's handshake: offer the session's revision unless the check asked for another version. */
export function handshakeParams(
  revision: Revision,
  opts: { offerVersion?: string; capabilities?: Record<string, unknown> } = {},
): Record<string, unknown> {
  return initializeParams(opts.offerVersion ?? revision, opts.capabilities);
}

/** The `_meta` keys 2026-07-28 requires on every request. */
export function modernMeta(capabilities: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    [META.protocolVersion]: MODERN_REVISION,
    [META.clientCapabilities]: capabilities,
    [META.clientInfo]: HARNESS_CLIENT_INFO,
  };
}

/** `params` with `meta` merged into its `_meta` (later keys win; an undefined value drops the key on the wire). */
export function withMeta(
  params: Record<string, unknown> | undefined,
  meta: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  if (meta === undefined) return params;
  const existing = params?.['_meta'];
  const merged = existing && typeof existing === 'object' ? { ...(existing as Record<string, unknown>), ...meta } : meta;
  return { ...params, _meta: merged };
}

/**
 * A session's request parameters: in the modern era the required `_meta` (from `baseMeta`,
 * usually modernMeta()), then whatever `_meta` the caller's params carry, then `extraMeta`.
 */
export function requestParams(
  revision: Revision,
  params: Record<string, unknown> | undefined,
  extraMeta: Record<string, unknown> | undefined,
  baseMeta: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  if (!isModern(revision)) return withMeta(params, extraMeta);
  const own = params?.['_meta'];
  const meta =
    own && typeof own === 'object' ? { ...baseMeta, ...(own as Record<string, unknown>), ...extraMeta } : { ...baseMeta, ...extraMeta };
  return { ...params, _meta: meta };
}

/**
 * A complete request object of the revision, for raw writes (stdio bytes, POST bodies, batch
 * arrays): with the `_meta` the modern revision requires, merged under any `_meta` of `params`.
 */
export function rawRequest(revision: Revision, id: unknown, method: string, params: Record<string, unknown> = {}): JsonRpcMessage {
  return buildRequest(id, method, requestParams(revision, params, undefined, isModern(revision) ? modernMeta() : undefined));
}

/**
 * How discovery asks whether a target serves `revision`: an `initialize` offering it (a server
 * that serves it echoes it), or, for 2026-07-28, server/discover (the driver adds the `_meta`).
 */
export function discoveryRequest(revision: Revision): { method: string; params: Record<string, unknown> } {
  return isModern(revision) ? { method: DISCOVER_METHOD, params: {} } : { method: 'initialize', params: initializeParams(revision) };
}

/** The protocolVersion an InitializeResult names, if it names one. */
export function negotiatedVersion(response: JsonRpcMessage | undefined): string | undefined {
  const result = response?.result;
  if (result && typeof result === 'object') {
    const v = (result as { protocolVersion?: unknown }).protocolVersion;
    if (typeof v === 'string') return v;
  }
  return undefined;
}

/** The progress token a request's params ask progress notifications for, if any. */
export function progressTokenOf(params: Record<string, unknown> | undefined): unknown {
  const meta = params?.['_meta'];
  return meta && typeof meta === 'object' ? (meta as { progressToken?: unknown }).progressToken : undefined;
}

/** The progress token a notifications/progress message names, if it is one. */
export function progressTokenOfNotification(message: JsonRpcMessage): unknown {
  if (message.method !== 'notifications/progress') return undefined;
  const params = message.params;
  return params && typeof params === 'object' ? (params as { progressToken?: unknown }).progressToken : undefined;
}
