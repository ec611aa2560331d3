/**
 * The bare stdio client for calibration: spawns a server, initializes, then keeps `--inflight`
 * ping requests outstanding for `--duration` ms, writing lines and matching ids in a Map, with
 * no histogram, no driver, no timers. What it counts is the most a Node client can get from that
 * server; the engine's stdio figure is compared with it in the same run.
 *
 * Usage: bare-stdio-parent --inflight N --duration MS --warmup MS [--pin-child CPUS] -- cmd args...
 * Prints one JSON line: { completed, windowMs, rps }.
 */
import { spawn } from 'node:child_process';
import { pinProcess } from '../pin.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

const inflight = Math.max(1, Number(arg('--inflight', '1')));
const durationMs = Number(arg('--duration', '3000'));
const warmupMs = Number(arg('--warmup', '500'));
const pinChild = arg('--pin-child', '');
const sep = process.argv.indexOf('--');
const [command, ...args] = process.argv.slice(sep + 1);
if (sep < 0 || !command) {
  process.stderr.write('usage: bare-stdio-parent --inflight N --duration MS --warmup MS -- command args...\n');
  process.exit(2);
}

const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
if (pinChild && child.pid !== undefined) pinProcess(child.pid, pinChild);
const pending = new Map<number, true>();
let nextId = 1;
let completed = 0;
let measuring = false;
let stopping = false;
let buffered = '';
let initialized: () => void = () => {};

function send(method: string): void {
  const id = nextId++;
  pending.set(id, true);
  child.stdin.write(`{"jsonrpc":"2.0","id":${id},"method":"${method}"}\n`);
}

child.stdout.setEncoding('utf8');
child.stdout.on('data', (chunk: string) => {
  buffered += chunk;
  let nl = buffered.indexOf('\n');
  while (nl >= 0) {
    const line = buffered.slice(0, nl);
    buffered = buffered.slice(nl + 1);
    nl = buffered.indexOf('\n');
    const id = (JSON.parse(line) as { id?: number }).id;
    if (id === undefined || !pending.delete(id)) continue;
    if (id === 1) {
      initialized();
      continue;
    }
    if (measuring) completed++;
    if (!stopping) send('ping');
  }
});

await new Promise<void>((resolve) => {
  initialized = resolve;
  send('initialize');
});
child.stdin.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
for (let i = 0; i < inflight; i++) send('ping');
await new Promise((r) => setTimeout(r, warmupMs));
measuring = true;
const t0 = performance.now();
await new Promise((r) => setTimeout(r, durationMs));
const windowMs = performance.now() - t0;
measuring = false;
stopping = true;
const done = completed;
child.stdin.end();
const exited = new Promise((r) => child.once('exit', r));
const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
await exited;
clearTimeout(timer);
process.stdout.write(`${JSON.stringify({ completed: done, windowMs, rps: (done * 1000) / windowMs })}\n`);
