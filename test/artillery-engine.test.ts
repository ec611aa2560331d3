/**
 * artillery-engine-mcp under the real `artillery run` (the pinned 2.0.21, local mode, a child
 * process of a few seconds) against bundled reference servers of each transport, read back from
 * Artillery's JSON report (`--output`) and set against what the server itself saw.
 *
 * The server's side of the count is taken outside the engine and outside Artillery: HTTP kinds
 * sit behind a counting proxy (every JSON-RPC method in a POST body, every GET and DELETE), and
 * stdio kinds run under test/fixtures/count-stdio.mjs (every method on stdin, every spawn). So a
 * request the engine counts but never sends, or sends twice, shows as a mismatch.
 *
 * Artillery runs with packages/artillery-engine-mcp/tools/loopback-guard.cjs preloaded: no
 * connection may leave loopback, and its telemetry sends nothing.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerKind } from '../reference-servers/kinds.js';
import { SCENARIOS } from '../scenarios/index.js';
import { referenceTarget } from '../reference-servers/start.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGE = join(ROOT, 'packages', 'artillery-engine-mcp');
const ARTILLERY = join(PACKAGE, 'node_modules', 'artillery', 'bin', 'run');
const GUARD = join(PACKAGE, 'tools', 'loopback-guard.cjs');
const COUNT_STDIO = join(ROOT, 'test', 'fixtures', 'count-stdio.mjs');
/** one `artillery run`: a few seconds of load, Artillery's own start (seconds on a busy machine) and exit */
const RUN_DEADLINE_MS = 150_000;

type Counts = Record<string, number>;
interface Report {
  aggregate: { counters: Counts; summaries: Record<string, { count: number; p99: number }> };
}
interface ArtilleryRun {
  code: number | null;
  stdout: string;
  report: Report;
}

let work: string;

beforeAll(() => {
  if (!existsSync(ARTILLERY)) {
    throw new Error(`Artillery is not installed in ${PACKAGE}: run \`npm run artillery:install\` (root \`npm ci\` does it)`);
  }
  if (!existsSync(join(PACKAGE, 'dist', 'index.cjs'))) throw new Error('the engine is not built: run `npm run build`');
  work = mkdtempSync(join(tmpdir(), 'artillery-engine-'));
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Run `artillery run` on `script` (JSON is YAML too) and read its report. */
function runArtillery(name: string, script: object): Promise<ArtilleryRun> {
  const file = join(work, `${name}.yml`);
  const output = join(work, `${name}.json`);
  writeFileSync(file, JSON.stringify(script, null, 2));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ARTILLERY, 'run', '--output', output, file], {
      cwd: work,
      env: {
        ...process.env,
        // how Artillery finds an engine it does not bundle: artillery-engine-mcp under packages/
        NODE_PATH: join(ROOT, 'packages'),
        NODE_OPTIONS: `--require ${GUARD}`,
        ARTILLERY_DISABLE_TELEMETRY: 'true',
        NO_COLOR: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString('utf8');
    });
    child.stderr.on('data', (c: Buffer) => {
      stdout += c.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_DEADLINE_MS);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (!existsSync(output)) {
        reject(new Error(`artillery run wrote no report (exit ${code}):\n${stdout.slice(-3000)}`));
        return;
      }
      resolve({ code, stdout, report: JSON.parse(readFileSync(output, 'utf8')) as Report });
    });
  });
}

/** The counting proxy in front of an HTTP reference server: methods in POST bodies, GETs, DELETEs. */
interface CountingProxy {
  url: string;
  counts: Counts;
  close(): Promise<void>;
}

function add(counts: Counts, key: string, n = 1): void {
  counts[key] = (counts[key] ?? 0) + n;
}

async function countingProxy(targetUrl: string): Promise<CountingProxy> {
  const target = new URL(targetUrl);
  const counts: Counts = {};
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.method === 'POST') {
        try {
          for (const m of [JSON.parse(body.toString('utf8'))].flat() as Array<{ method?: unknown }>) {
            add(counts, typeof m.method === 'string' ? m.method : 'response');
          }
        } catch {
          add(counts, 'non-json');
        }
      } else {
        add(counts, req.method ?? '?');
      }
      const upstream = httpRequest(
        // the Host the server expects (it checks Host against DNS rebinding), everything else as sent
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          // an event stream's headers go on at once, as the server sent them, not with its first event
          res.flushHeaders();
          up.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      res.on('close', () => upstream.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${target.pathname}`,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An HTTP reference server behind the counting proxy, for the length of `use`. */
async function withHttpServer<T>(kind: ServerKind, faults: string[], use: (proxy: CountingProxy) => Promise<T>): Promise<T> {
  const ref = await referenceTarget(kind, faults);
  try {
    if (ref.target.transport === 'stdio') throw new Error(`${kind} is not an HTTP kind`);
    const proxy = await countingProxy(ref.target.url);
    try {
      return await use(proxy);
    } finally {
      await proxy.close();
    }
  } finally {
    await ref.close();
  }
}

/** Counts a stdio kind's wrappers wrote: `spawn` once per process, then one line per method. */
function readStdioCounts(file: string): Counts {
  const counts: Counts = {};
  if (!existsSync(file)) return counts;
  for (const line of readFileSync(file, 'utf8').split('\n')) if (line) add(counts, line);
  return counts;
}

/** `errors.*` counters of the report (Artillery counts every failure there). */
function errorsOf(report: Report): Counts {
  return Object.fromEntries(Object.entries(report.aggregate.counters).filter(([k]) => k.startsWith('errors.')));
}

const load = (arrivalRate: number) => ({ phases: [{ duration: 2, arrivalRate }], engines: { mcp: {} } });

describe('artillery run with artillery-engine-mcp', () => {
  it('stdio (min-stdio): a server per virtual user, payload-file variables templated into tools/call', async () => {
    const ref = await referenceTarget('min-stdio');
    if (ref.target.transport !== 'stdio') throw new Error('min-stdio is a stdio kind');
    const countFile = join(work, 'min-stdio.count');
    const words = ['alpha', 'bravo', 'charlie'];
    writeFileSync(join(work, 'words.csv'), `${words.join('\n')}\n`);
    const run = await runArtillery('min-stdio', {
      config: {
        ...load(3),
        // Artillery insists on a target; with mcp.command the engine spawns that instead
        target: 'stdio',
        payload: { path: 'words.csv', fields: ['word'] },
        mcp: {
          command: process.execPath,
          args: [COUNT_STDIO, countFile, '--', ref.target.command, ...ref.target.args],
          sessions: 'per-vu',
        },
      },
      scenarios: [
        {
          engine: 'mcp',
          flow: [
            { initialize: { revision: '2025-11-25' } },
            { listTools: {} },
            { callTool: { name: 'echo', arguments: { text: 'say {{ word }}' } } },
            { ping: {}, think: 0.05 },
            { terminate: {} },
          ],
        },
      ],
    });
    const c = run.report.aggregate.counters;
    const server = readStdioCounts(countFile);
    const vus = c['vusers.created']!;
    expect(run.code, run.stdout.slice(-2000)).toBe(0);
    expect(vus).toBeGreaterThanOrEqual(4);
    expect(errorsOf(run.report)).toEqual({});
    expect(c['vusers.failed']).toBe(0);
    expect(c['vusers.completed']).toBe(vus);
    // one process, one initialize, one of each request per virtual user, on both sides
    expect(server['spawn']).toBe(vus);
    expect(c['mcp.sessions.opened']).toBe(vus);
    expect(server['initialize']).toBe(vus);
    expect(server['notifications/initialized']).toBe(vus);
    expect(c['mcp.sessions.terminated']).toBe(vus);
    for (const method of ['tools/list', 'tools/call', 'ping']) {
      expect(c[`mcp.requests.${method}`], method).toBe(vus);
      expect(server[method], method).toBe(vus);
      expect(run.report.aggregate.summaries[`mcp.response_time.${method}`]?.count, method).toBe(vus);
    }
    // each user's text came from a row of the payload file
    const texts = Object.entries(server).filter(([k]) => k.startsWith('text:'));
    expect(texts.reduce((n, [, count]) => n + count, 0)).toBe(vus);
    for (const [text] of texts) expect(words.map((w) => `text:say ${w}`)).toContain(text);
    expect(c['mcp.requests']).toBe(3 * vus);
    expect(c['mcp.responses']).toBe(3 * vus);
    expect(run.report.aggregate.summaries['mcp.stdio.response_time']?.count).toBe(3 * vus);
    expect(c['mcp.payload_bytes_sent']).toBeGreaterThan(0);
    expect(c['mcp.payload_bytes_received']).toBeGreaterThan(0);
  });

  it('legacy HTTP+SSE (sdk-sse): one shared session per worker, terminate leaves it to the worker', async () => {
    await withHttpServer('sdk-sse', [], async (proxy) => {
      const run = await runArtillery('sdk-sse', {
        config: { ...load(3), target: proxy.url, mcp: { sessions: 'shared' } },
        scenarios: [
          {
            engine: 'mcp',
            flow: [{ initialize: {} }, { callTool: { name: 'echo', arguments: { text: 'hi' } } }, { ping: {} }, { terminate: {} }],
          },
        ],
      });
      const c = run.report.aggregate.counters;
      const vus = c['vusers.created']!;
      expect(run.code, run.stdout.slice(-2000)).toBe(0);
      expect(errorsOf(run.report)).toEqual({});
      expect(c['vusers.completed']).toBe(vus);
      // one session per Artillery worker (1 or a few), not one per user
      expect(c['mcp.sessions.opened']).toBe(proxy.counts['initialize']);
      expect(c['mcp.sessions.opened']).toBe(proxy.counts['GET']);
      expect(c['mcp.sessions.opened']).toBeLessThan(vus);
      // the worker closes its shared sessions after its last user, past the report's last period
      expect(c['mcp.sessions.terminated']).toBeUndefined();
      expect(c['mcp.requests.tools/call']).toBe(vus);
      expect(proxy.counts['tools/call']).toBe(vus);
      expect(proxy.counts['ping']).toBe(vus);
      expect(c['mcp.http.codes.202']).toBe(2 * vus);
      expect(run.report.aggregate.summaries['mcp.sse.response_time']?.count).toBe(2 * vus);
    });
  });

  it('Streamable HTTP 2025 (sdk-http-json): listen streams count their events, terminate DELETEs, ensure reads the metrics', async () => {
    await withHttpServer('sdk-http-json', [], async (proxy) => {
      const run = await runArtillery('sdk-http-json', {
        config: {
          ...load(3),
          target: proxy.url,
          mcp: { sessions: 'per-vu' },
          plugins: { ensure: {} },
          ensure: {
            thresholds: [{ 'mcp.response_time.tools/call.p99': 10_000 }],
            conditions: [{ expression: 'mcp.streams.opened == vusers.created' }],
          },
        },
        scenarios: [
          {
            engine: 'mcp',
            flow: [
              { initialize: { revision: '2025-11-25' } },
              { openStream: {} },
              // the notify tool sends the session a notification that belongs to no request: it goes to the GET stream
              { callTool: { name: 'notify', arguments: {} }, think: 0.3 },
              { listTools: {} },
              { terminate: {} },
            ],
          },
        ],
      });
      const c = run.report.aggregate.counters;
      const vus = c['vusers.created']!;
      expect(run.code, run.stdout.slice(-2000)).toBe(0);
      expect(run.stdout).toContain('ok: mcp.response_time.tools/call.p99 < 10000');
      expect(run.stdout).toContain('ok: mcp.streams.opened == vusers.created');
      expect(errorsOf(run.report)).toEqual({});
      expect(c['vusers.completed']).toBe(vus);
      expect(c['mcp.sessions.opened']).toBe(vus);
      expect(proxy.counts['initialize']).toBe(vus);
      expect(c['mcp.streams.opened']).toBe(vus);
      expect(proxy.counts['GET']).toBe(vus);
      expect(c['mcp.streams.events']).toBeGreaterThanOrEqual(vus);
      expect(c['mcp.requests.tools/call']).toBe(vus);
      expect(proxy.counts['tools/call']).toBe(vus);
      expect(proxy.counts['tools/list']).toBe(vus);
      expect(c['mcp.sessions.terminated']).toBe(vus);
      expect(proxy.counts['DELETE']).toBe(vus);
      expect(run.report.aggregate.summaries['mcp.http.response_time']?.count).toBe(2 * vus);
    });
  });

  it('Streamable HTTP 2026-07-28 (sdk-stateless): churned sessions cost no handshake; ping is server/discover', async () => {
    await withHttpServer('sdk-stateless', [], async (proxy) => {
      const run = await runArtillery('sdk-stateless', {
        config: { ...load(3), target: proxy.url, mcp: { sessions: 'churn', revision: '2026-07-28' } },
        scenarios: [
          { engine: 'mcp', flow: [{ listTools: {} }, { callTool: { name: 'echo', arguments: { text: '{{ $uuid }}' } } }, { ping: {} }] },
        ],
      });
      const c = run.report.aggregate.counters;
      const vus = c['vusers.created']!;
      expect(run.code, run.stdout.slice(-2000)).toBe(0);
      expect(errorsOf(run.report)).toEqual({});
      expect(c['vusers.completed']).toBe(vus);
      expect(c['mcp.sessions.opened']).toBe(3 * vus);
      expect(proxy.counts['initialize']).toBeUndefined();
      expect(proxy.counts['DELETE']).toBeUndefined();
      expect(c['mcp.requests.server/discover']).toBe(vus);
      expect(proxy.counts['server/discover']).toBe(vus);
      expect(proxy.counts['tools/call']).toBe(vus);
      expect(proxy.counts['tools/list']).toBe(vus);
      expect(c['mcp.http.codes.200']).toBe(3 * vus);
    });
  });

  it('JSON-RPC errors are counted by code: -32601 from a clean min-http, -32603 under unknown-method-wrong-code', async () => {
    const flow = [{ initialize: {} }, { request: { method: 'no/such/method' }, continueOnError: true }, { ping: {} }, { terminate: {} }];
    const byFault: Record<string, { errors: Counts; vus: number; failed: number; server: Counts }> = {};
    for (const faults of [[], ['unknown-method-wrong-code']]) {
      await withHttpServer('min-http', faults, async (proxy) => {
        const run = await runArtillery(`min-http-${faults.length}`, {
          config: { ...load(2), target: proxy.url },
          scenarios: [{ engine: 'mcp', flow }],
        });
        const c = run.report.aggregate.counters;
        byFault[faults.join(',') || 'clean'] = {
          errors: errorsOf(run.report),
          vus: c['vusers.created']!,
          failed: c['vusers.failed']!,
          server: { ...proxy.counts },
        };
      });
    }
    const clean = byFault['clean']!;
    const faulty = byFault['unknown-method-wrong-code']!;
    expect(clean.errors).toEqual({ 'errors.mcp.jsonrpc.-32601': clean.vus });
    expect(faulty.errors).toEqual({ 'errors.mcp.jsonrpc.-32603': faulty.vus });
    for (const side of [clean, faulty]) {
      // continueOnError: counted, and the user goes on to ping
      expect(side.failed).toBe(0);
      expect(side.server['no/such/method']).toBe(side.vus);
      expect(side.server['ping']).toBe(side.vus);
    }
  });

  it('a failed request fails its virtual user and stops its flow', async () => {
    await withHttpServer('min-http', [], async (proxy) => {
      const run = await runArtillery('min-http-fail', {
        config: { ...load(2), target: proxy.url },
        scenarios: [{ engine: 'mcp', flow: [{ callTool: { name: 'fail', arguments: {} } }, { ping: {} }] }],
      });
      const c = run.report.aggregate.counters;
      const vus = c['vusers.created']!;
      expect(errorsOf(run.report)).toEqual({ 'errors.mcp.tool_error': vus });
      expect(c['vusers.failed']).toBe(vus);
      expect(proxy.counts['tools/call']).toBe(vus);
      expect(proxy.counts['ping']).toBeUndefined();
      // the implicit session of each user was still closed
      expect(proxy.counts['DELETE']).toBe(vus);
    });
  });

  it('every bundled load scenario ships as an Artillery script the engine accepts', () => {
    // Artillery's own YAML reader and template helpers, from the pinned install
    const fromArtillery = createRequire(join(PACKAGE, 'node_modules', 'artillery', 'package.json'));
    const yaml = fromArtillery('js-yaml') as { safeLoad(text: string): unknown };
    const helpers = createRequire(fromArtillery.resolve('@artilleryio/int-core'))('@artilleryio/int-commons').engine_util as object;
    const Engine = createRequire(import.meta.url)(join(PACKAGE, 'dist', 'index.cjs')) as new (
      script: unknown,
      ee: { on(): void },
      helpers: object,
    ) => { createScenario(spec: unknown, ee: unknown): unknown };
    const dir = join(PACKAGE, 'scenarios');
    const files = readdirSync(dir).filter((f) => f.endsWith('.yml'));
    expect(files.map((f) => f.replace(/\.yml$/, '')).sort()).toEqual(SCENARIOS.map((s) => s.name).sort());
    const saved = process.env.MCP_TARGET;
    process.env.MCP_TARGET = 'http://127.0.0.1:9/mcp';
    try {
      for (const file of files) {
        const script = yaml.safeLoad(readFileSync(join(dir, file), 'utf8')) as { scenarios: Array<{ engine: string }> };
        const engine = new Engine(script, { on() {} }, helpers);
        for (const scenario of script.scenarios) {
          expect(scenario.engine, file).toBe('mcp');
          expect(typeof engine.createScenario(scenario, { emit() {} }), file).toBe('function');
        }
      }
      // and a mistake is refused when the script loads, not per virtual user
      expect(() =>
        new Engine({ config: { target: 'http://127.0.0.1:9/mcp' } }, { on() {} }, helpers).createScenario(
          { flow: [{ callTool: {}, ping: {} }] },
          {},
        ),
      ).toThrow(/exactly one of/);
      expect(() => new Engine({ config: { target: 'http://127.0.0.1:9/mcp', mcp: { sessions: 'pooled' } } }, { on() {} }, helpers)).toThrow(
        /per-vu, shared, churn/,
      );
    } finally {
      if (saved === undefined) delete process.env.MCP_TARGET;
      else process.env.MCP_TARGET = saved;
    }
  });
});
