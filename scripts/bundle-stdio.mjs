#!/usr/bin/env node
/**
 * Bundles each stdio reference server kind into one CommonJS file, dist/stdio-bundles/KIND.cjs,
 * with a V8 code cache made by one warm-up run, and the loader that uses it (load.cjs).
 *
 * Why: a stdio server is spawned once per session, thousands of times in `npm test`. From dist/
 * it costs ~0.4 s of CPU (node resolving and compiling ~200 ESM files of the SDK and zod); one
 * file compiled from a code cache costs a fraction of that. reference-servers/start.ts uses a
 * bundle only while it is newer than every file it was built from (KIND.json lists them), so a
 * `tsc` rebuild without this script falls back to dist/reference-servers/stdio-main.js, never to
 * a stale server.
 *
 * Usage: node scripts/bundle-stdio.mjs [--if-stale]. Without esbuild (a production install) it
 * says so and exits 0: the unbundled entry works, only slower.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const OUT = join(DIST, 'stdio-bundles');
const SERVERS = join(DIST, 'reference-servers');
const WARM_UP_MS = 10_000;

/** The loader: compile the kind's bundle with its code cache (or without, when V8 rejects it), run main(). */
const LOADER = `'use strict';
// Written by scripts/bundle-stdio.mjs. Usage: node load.cjs --server KIND [--fault NAME]...
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');
const argv = process.argv.slice(2);
const kind = argv[argv.indexOf('--server') + 1];
if (!/^[a-z0-9-]+$/.test(kind || '')) {
  process.stderr.write('mcp-harness: --server KIND is required\\n');
  process.exit(2);
}
const file = path.join(__dirname, kind + '.cjs');
const cacheFile = file + '.cache';
const source = fs.readFileSync(file);
// V8 checks a cache against the source's length only: the cache starts with the digest of the
// source it was made from, and is used only for exactly that source.
const digest = crypto.createHash('sha256').update(source).digest();
let cachedData;
try {
  const cache = fs.readFileSync(cacheFile);
  if (cache.subarray(0, digest.length).equals(digest)) cachedData = cache.subarray(digest.length);
} catch {}
const script = new vm.Script(Module.wrap(source.toString('utf8')), { filename: file, cachedData });
const mod = { exports: {} };
script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, __dirname);
if (process.env.MCP_HARNESS_WRITE_CODE_CACHE === '1') {
  // After the warm-up's traffic, so the functions it compiled are in the cache too.
  process.on('exit', () => {
    const tmp = cacheFile + '.' + process.pid;
    fs.writeFileSync(tmp, Buffer.concat([digest, script.createCachedData()]));
    fs.renameSync(tmp, cacheFile);
  });
}
mod.exports.main(argv);
`;

/** Servers may be spawning from these files while another build runs: readers see the old file or the new one. */
function writeAtomically(file, text) {
  if (existsSync(file) && readFileSync(file, 'utf8') === text) return;
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

function stdioKinds(kindsModule) {
  return Object.values(kindsModule.SERVER_KIND_INFO)
    .filter((info) => info.transport === 'stdio')
    .map((info) => info.kind);
}

/** Fresh: the bundle and its manifest exist, and no input changed after the bundle was made (as start.ts decides). */
export function isFresh(kind) {
  const bundle = join(OUT, `${kind}.cjs`);
  const manifest = join(OUT, `${kind}.json`);
  if (!existsSync(bundle) || !existsSync(manifest) || !existsSync(join(OUT, 'load.cjs'))) return false;
  try {
    const { inputs } = JSON.parse(readFileSync(manifest, 'utf8'));
    const built = statSync(bundle).mtimeMs;
    return inputs.every((input) => statSync(join(ROOT, input)).mtimeMs <= built);
  } catch {
    return false;
  }
}

/** One warm-up session: the handshake and a few requests, then stdin EOF; the loader writes the cache at exit. */
function warmUp(kind) {
  const modern = kind.endsWith('-modern');
  const meta = modern
    ? {
        'io.modelcontextprotocol/protocolVersion': '2026-07-28',
        'io.modelcontextprotocol/clientCapabilities': {},
        'io.modelcontextprotocol/clientInfo': { name: 'warm-up', version: '0' },
      }
    : undefined;
  const lines = modern
    ? [
        { jsonrpc: '2.0', id: 1, method: 'server/discover', params: { _meta: meta } },
        { jsonrpc: '2.0', id: 2, method: 'tools/list', params: { _meta: meta } },
        { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'echo', arguments: { text: 'warm' }, _meta: meta } },
        { jsonrpc: '2.0', id: 4, method: 'harness/unknown', params: { _meta: meta } },
      ]
    : [
        {
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'warm-up', version: '0' } },
        },
        { jsonrpc: '2.0', method: 'notifications/initialized' },
        { jsonrpc: '2.0', id: 2, method: 'tools/list' },
        { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'echo', arguments: { text: 'warm' } } },
        { jsonrpc: '2.0', id: 4, method: 'harness/unknown' },
        { jsonrpc: '2.0', id: 5, method: 'ping' },
      ];
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(OUT, 'load.cjs'), '--server', kind], {
      stdio: ['pipe', 'pipe', 'inherit'],
      env: { ...process.env, MCP_HARNESS_WRITE_CODE_CACHE: '1' },
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`warm-up of ${kind} did not finish within ${WARM_UP_MS} ms`));
    }, WARM_UP_MS);
    let out = '';
    let sent = 0;
    const sendNext = () => {
      while (sent < lines.length) {
        const line = lines[sent++];
        child.stdin.write(`${JSON.stringify(line)}\n`);
        if (line.id !== undefined) return;
      }
      child.stdin.end();
    };
    child.stdout.on('data', (chunk) => {
      out += chunk;
      // one answer per request: send the next once the previous is answered
      if (out.split('\n').length - 1 >= lines.slice(0, sent).filter((l) => l.id !== undefined).length) sendNext();
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      fail(err);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) done();
      else fail(new Error(`warm-up of ${kind} exited with code ${code}`));
    });
    sendNext();
  });
}

export async function bundleStdioServers({ ifStale = false } = {}) {
  if (!existsSync(join(SERVERS, 'stdio-main.js'))) {
    console.error('bundle-stdio: no dist/reference-servers/stdio-main.js (run tsc -p tsconfig.build.json first)');
    return false;
  }
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    console.error('bundle-stdio: esbuild is not installed; stdio reference servers run unbundled');
    return false;
  }
  const kindsModule = await import(pathToFileURL(join(SERVERS, 'kinds.js')).href);
  const startModule = await import(pathToFileURL(join(SERVERS, 'start.js')).href);
  const modules = startModule.STDIO_SERVER_MODULES;
  mkdirSync(OUT, { recursive: true });
  writeAtomically(join(OUT, 'load.cjs'), LOADER);
  for (const kind of stdioKinds(kindsModule)) {
    if (ifStale && isFresh(kind)) continue;
    const own = modules[kind];
    if (!own) throw new Error(`start.ts has no STDIO_SERVER_MODULES entry for ${kind}`);
    const outfile = join(OUT, `${kind}.cjs`);
    const result = await esbuild.build({
      stdin: { contents: "export { main } from './stdio-main.js';", resolveDir: SERVERS, sourcefile: 'stdio-bundle-entry.js' },
      absWorkingDir: ROOT,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile: `${outfile}.${process.pid}.tmp`,
      metafile: true,
      logLevel: 'error',
      // import.meta.url is the bundle's own URL (cli/self.ts derives the project root from it).
      define: { 'import.meta.url': '__bundleUrl' },
      banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
      plugins: [
        {
          // start.ts imports every kind's module on demand (HTTP kinds too): only this kind's goes into its bundle.
          name: 'only-this-kind',
          setup(build) {
            build.onResolve({ filter: /^\.\/(sdk|minimal)\// }, (args) =>
              args.importer.endsWith(join('reference-servers', 'start.js')) && args.path !== own
                ? { path: args.path, external: true }
                : undefined,
            );
          },
        },
      ],
    });
    renameSync(`${outfile}.${process.pid}.tmp`, outfile);
    const inputs = Object.keys(result.metafile.inputs).filter((p) => !p.startsWith('<stdin>') && !p.includes('stdio-bundle-entry'));
    writeAtomically(join(OUT, `${kind}.json`), `${JSON.stringify({ kind, inputs }, null, 1)}\n`);
    // Without a cache the bundle still works, only compiles at every start.
    await warmUp(kind).catch((err) => console.error(`bundle-stdio: no code cache for ${kind}: ${err.message}`));
  }
  return true;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const ifStale = process.argv.includes('--if-stale');
  bundleStdioServers({ ifStale }).then(
    () => {},
    (err) => {
      console.error(`bundle-stdio: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
