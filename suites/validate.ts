/**
 * Schema validation of what a server sends, with the official SDKs' exported zod schemas: v1
 * (`@modelcontextprotocol/sdk`) for 2024-11-05 … 2025-11-25 and v2 (`@modelcontextprotocol/core`)
 * for 2026-07-28. No package ships the specification's own JSON schema, and the SDK schemas are
 * generated from the same schema.ts. A failure names the path of the first bad field.
 */
import * as modern from '@modelcontextprotocol/core';
import * as legacy from '@modelcontextprotocol/sdk/types.js';
import type { JsonRpcMessage, Revision } from '../drivers/protocol.js';
import { isModern } from '../drivers/protocol.js';

interface Issue {
  path: PropertyKey[];
  message: string;
}
interface Schema {
  safeParse(value: unknown): { success: boolean; error?: { issues: readonly Issue[] } };
}

interface SchemaSet {
  request: Schema;
  notification: Schema;
  result: Schema;
  error: Schema;
  results: Record<string, Schema>;
}

const LEGACY: SchemaSet = {
  request: legacy.JSONRPCRequestSchema,
  notification: legacy.JSONRPCNotificationSchema,
  result: legacy.JSONRPCResultResponseSchema,
  error: legacy.JSONRPCErrorResponseSchema,
  results: {
    initialize: legacy.InitializeResultSchema,
    ping: legacy.EmptyResultSchema,
    'tools/list': legacy.ListToolsResultSchema,
    'tools/call': legacy.CallToolResultSchema,
    'prompts/list': legacy.ListPromptsResultSchema,
    'prompts/get': legacy.GetPromptResultSchema,
    'resources/list': legacy.ListResourcesResultSchema,
    'resources/read': legacy.ReadResourceResultSchema,
    'resources/templates/list': legacy.ListResourceTemplatesResultSchema,
    'completion/complete': legacy.CompleteResultSchema,
  },
};

const MODERN: SchemaSet = {
  request: modern.JSONRPCRequestSchema,
  notification: modern.JSONRPCNotificationSchema,
  result: modern.JSONRPCResultResponseSchema,
  error: modern.JSONRPCErrorResponseSchema,
  results: {
    'server/discover': modern.DiscoverResultSchema,
    'tools/list': modern.ListToolsResultSchema,
    'tools/call': modern.CallToolResultSchema,
    'prompts/list': modern.ListPromptsResultSchema,
    'prompts/get': modern.GetPromptResultSchema,
    'resources/list': modern.ListResourcesResultSchema,
    'resources/read': modern.ReadResourceResultSchema,
    'resources/templates/list': modern.ListResourceTemplatesResultSchema,
    'completion/complete': modern.CompleteResultSchema,
  },
};

function schemasFor(revision: Revision): SchemaSet {
  return isModern(revision) ? MODERN : LEGACY;
}

function firstIssue(schema: Schema, value: unknown, prefix: string): string | undefined {
  const parsed = schema.safeParse(value);
  if (parsed.success) return undefined;
  const issue = parsed.error?.issues[0];
  if (!issue) return `${prefix}: invalid`;
  const path = [prefix, ...issue.path.map(String)].filter((p) => p !== '').join('.');
  return `${path || '(message)'}: ${issue.message}`;
}

/**
 * Why `message` is not a valid JSON-RPC message of the revision (the first bad field), or
 * undefined when it is. The envelope schema is chosen by the message's shape, so that the
 * report names the field and not a union mismatch.
 */
export function envelopeProblem(revision: Revision, message: JsonRpcMessage): string | undefined {
  const set = schemasFor(revision);
  if (message === null || typeof message !== 'object' || Array.isArray(message)) return 'not a JSON object';
  if (typeof message.method === 'string' || 'method' in message) {
    return firstIssue('id' in message ? set.request : set.notification, message, '');
  }
  if ('error' in message) {
    // An unreadable request id is answered with null (JSON-RPC 2.0) or no id (MCP 2025-11-25):
    // both are allowed (tension T2), while the older schemas only spell out string | number.
    const candidate = message.id === null ? withoutId(message) : message;
    return firstIssue(set.error, candidate, '');
  }
  if ('result' in message) return firstIssue(set.result, message, '');
  return 'neither a request, a notification nor a response';
}

function withoutId(message: JsonRpcMessage): JsonRpcMessage {
  const { id: _id, ...rest } = message;
  return rest;
}

/** Why a `result` answering `method` does not match the revision's result schema; undefined when it does or the method is unknown here. */
export function resultProblem(revision: Revision, method: string, result: unknown): string | undefined {
  const schema = schemasFor(revision).results[method];
  return schema ? firstIssue(schema, result, 'result') : undefined;
}
