/**
 * Holds the JSON-RPC core to being the only one: outside drivers/rpc-core.ts and drivers/rpc/,
 * no module of the harness builds `initialize` params (an object with protocolVersion and
 * clientInfo), builds the 2026-07-28 `_meta` envelope (two or more of its keys in one object, or
 * a key spelt by hand instead of through META), defines id matching of its own (a function,
 * method or constant named for it, or ids compared through String()), or defines its own copy of
 * a core function (harmlessMethod, initializeParams, rawRequest, ...). Exempt, with the reason:
 * reference-servers/ (servers, not the harness), test/ (tests), drivers/protocol.ts (where META
 * and the client info are named, as facts shared with the servers), and scripts/ (build tooling
 * in plain JavaScript, run against dist/, outside the TypeScript tree scanned here).
 *
 * The scanner is checked on snippets first, so that a scanner that sees nothing cannot pass.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SCANNED = ['drivers', 'suites', 'load', 'cli', 'report', 'scenarios', 'packages'];
const CORE = (path: string) => path === 'drivers/rpc-core.ts' || path.startsWith('drivers/rpc/');
const EXEMPT = (path: string) => path === 'drivers/protocol.ts';

const ENVELOPE_KEYS = ['protocolVersion', 'clientCapabilities', 'clientInfo'] as const;
/** what the core defines: a declaration of one of these elsewhere is a second copy */
const CORE_NAMES = new Set([
  'harmlessMethod',
  'initializeParams',
  'handshakeParams',
  'modernMeta',
  'withMeta',
  'requestParams',
  'rawRequest',
  'discoveryRequest',
  'buildRequest',
  'buildNotification',
  'parsePayload',
  'toMessages',
]);
/** names a declaration of id matching would carry */
const ID_MATCHING_NAME = /^(?:same\w*Id\w*|\w*[iI]ds?Match\w*|\w*[iI]dKey\w*|match\w*Id\w*|\w*[iI]dEquals?\w*)$/;

function sourceFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const name of names) {
    const path = join(dir, name);
    // installed dependencies and build output are not the harness's source
    if (name === 'node_modules' || name === 'dist') continue;
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|mts|cts)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** A property's name as written: `protocolVersion`, `'io.modelcontextprotocol/clientInfo'`, `META.clientInfo`. */
function propertyName(name: ts.PropertyName, file: ts.SourceFile): string {
  if (ts.isComputedPropertyName(name)) {
    const e = name.expression;
    return ts.isStringLiteralLike(e) ? e.text : e.getText(file);
  }
  return ts.isIdentifier(name) || ts.isStringLiteralLike(name) || ts.isNumericLiteral(name) ? name.text : name.getText(file);
}

const ENVELOPE_NAMES = new Map<string, string>(
  ENVELOPE_KEYS.flatMap((k) => [
    [`META.${k}`, k],
    [`io.modelcontextprotocol/${k}`, k],
  ]),
);

/** Where `text` does what only the core may: one finding per place, with its line. */
function boundaryFindings(text: string): string[] {
  const file = ts.createSourceFile('scanned.ts', text, ts.ScriptTarget.Latest, true);
  const findings: string[] = [];
  const at = (node: ts.Node) => `line ${file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1}`;
  const visit = (node: ts.Node): void => {
    if (ts.isObjectLiteralExpression(node)) {
      const names = node.properties.flatMap((p) =>
        (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p) || ts.isMethodDeclaration(p)) && p.name
          ? [propertyName(p.name, file)]
          : [],
      );
      if (names.includes('protocolVersion') && names.includes('clientInfo')) {
        findings.push(`${at(node)}: builds initialize params (protocolVersion and clientInfo in one object)`);
      }
      const meta = [...new Set(names.flatMap((n) => (ENVELOPE_NAMES.has(n) ? [ENVELOPE_NAMES.get(n)!] : [])))];
      if (meta.length >= 2) findings.push(`${at(node)}: builds the 2026-07-28 _meta envelope (${meta.join(', ')})`);
    } else if (
      ts.isStringLiteralLike(node) &&
      /^io\.modelcontextprotocol\/(protocolVersion|clientCapabilities|clientInfo)$/.test(node.text)
    ) {
      findings.push(`${at(node)}: spells the _meta key ${node.text.split('/')[1]} by hand`);
    } else if (
      (ts.isFunctionDeclaration(node) || ts.isVariableDeclaration(node) || ts.isMethodDeclaration(node)) &&
      node.name &&
      ts.isIdentifier(node.name) &&
      ID_MATCHING_NAME.test(node.name.text)
    ) {
      findings.push(`${at(node)}: defines id matching (${node.name.text})`);
    } else if (
      (ts.isFunctionDeclaration(node) || ts.isVariableDeclaration(node)) &&
      node.name &&
      ts.isIdentifier(node.name) &&
      CORE_NAMES.has(node.name.text)
    ) {
      findings.push(`${at(node)}: defines its own ${node.name.text}`);
    } else if (ts.isBinaryExpression(node) && /^(===|==|!==|!=)$/.test(node.operatorToken.getText(file))) {
      const viaString = (e: ts.Expression) => ts.isCallExpression(e) && e.expression.getText(file) === 'String';
      if (viaString(node.left) && viaString(node.right) && /\bid\b/i.test(node.getText(file))) {
        findings.push(`${at(node)}: compares ids through String()`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return findings;
}

describe('the scanner', () => {
  it('finds initialize params, the _meta envelope, hand-spelt keys and id matching', () => {
    expect(boundaryFindings(`const p = { protocolVersion: v, capabilities: {}, clientInfo: HARNESS_CLIENT_INFO };`)).toHaveLength(1);
    expect(boundaryFindings(`return { protocolVersion, capabilities: {}, clientInfo: { name: 'x', version: '1' } };`)).toHaveLength(1);
    expect(boundaryFindings(`const m = {\n  [META.protocolVersion]: r,\n  [META.clientInfo]: info,\n};`)).toEqual([
      'line 1: builds the 2026-07-28 _meta envelope (protocolVersion, clientInfo)',
    ]);
    expect(boundaryFindings(`class S {\n  private idKey(id: unknown) { return String(id); }\n}`)).toEqual([
      'line 2: defines id matching (idKey)',
    ]);
    expect(boundaryFindings(`x({ 'io.modelcontextprotocol/clientInfo': 1 })`)).toEqual(['line 1: spells the _meta key clientInfo by hand']);
    expect(boundaryFindings(`function idKey(id: unknown) {}\nconst sameIdValue = (a, b) => a === b;`)).toHaveLength(2);
    expect(boundaryFindings(`if (String(m.id) === String(want)) ok();`)).toHaveLength(1);
    expect(boundaryFindings(`export function harmlessMethod(r: Revision) { return 'ping'; }`)).toEqual([
      'line 1: defines its own harmlessMethod',
    ]);
  });

  it('leaves alone what is not: one key overridden, a result read, names in comments and strings', () => {
    expect(boundaryFindings(`session.request('x', {}, { meta: { [META.clientCapabilities]: undefined } });`)).toEqual([]);
    expect(boundaryFindings(`const v = result.protocolVersion; const i = { protocolVersion: v, serverInfo: s };`)).toEqual([]);
    expect(
      boundaryFindings(`// { protocolVersion, clientInfo } and function idKey() in a comment\nconst t = 'function sameId()';`),
    ).toEqual([]);
    expect(
      boundaryFindings(`interface I { protocolVersion: string; clientInfo: Info }\nconst r = 'MUST contain protocolVersion, clientInfo';`),
    ).toEqual([]);
    expect(boundaryFindings(`const p = initializeParams(v); const inner = { outer: { protocolVersion: v }, clientInfo: c };`)).toEqual([]);
  });
});

describe('the JSON-RPC core is the only one', () => {
  const files = SCANNED.flatMap((d) => sourceFiles(join(ROOT, d))).map((p) => relative(ROOT, p).split('\\').join('/'));

  it('scans the harness source', () => {
    expect(files).toContain('drivers/stdio.ts');
    expect(files).toContain('suites/probes.ts');
    expect(files).toContain('load/workload.ts');
    expect(files).toContain('packages/artillery-engine-mcp/src/steps.ts');
    expect(files.some((f) => f.includes('node_modules/'))).toBe(false);
    expect(files.length).toBeGreaterThan(50);
  });

  it('no module outside the core builds initialize params or the _meta envelope, or matches ids its own way', () => {
    const found: string[] = [];
    for (const path of files) {
      if (CORE(path) || EXEMPT(path)) continue;
      for (const f of boundaryFindings(readFileSync(join(ROOT, path), 'utf8'))) found.push(`${path} ${f}`);
    }
    expect(found).toEqual([]);
  });

  it('the core itself is where those are built, so the scanner sees them there', () => {
    const core = files.filter(CORE);
    const all = core.flatMap((p) => boundaryFindings(readFileSync(join(ROOT, p), 'utf8')));
    expect(all.some((f) => f.includes('initialize params'))).toBe(true);
    expect(all.some((f) => f.includes('_meta envelope'))).toBe(true);
    expect(all.some((f) => f.includes('defines id matching'))).toBe(true);
  });

  it('every driver pairs and builds messages through the core', () => {
    for (const driver of ['drivers/stdio.ts', 'drivers/legacy-sse.ts', 'drivers/streamable-http.ts', 'drivers/http-session-base.ts']) {
      expect(readFileSync(join(ROOT, driver), 'utf8'), driver).toMatch(/from '\.\/rpc-core\.js'/);
    }
    const stdio = readFileSync(join(ROOT, 'drivers/stdio.ts'), 'utf8');
    // no router of its own: no pending table, no deadline queue, no id keys
    expect(stdio).not.toMatch(/DeadlineQueue|new Map<string, Pending|idKey|idsMatch/);
    expect(stdio).toMatch(/new MessageRouter\(/);
  });
});
