/**
 * A server the benchmark runs in a child process of its own (a reference server, a calibration
 * baseline): started with an IPC channel, announced by a { url } message, pinned if asked, and
 * reaped on close (disconnect, then SIGKILL after a deadline).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { engineModule } from './module-path.js';
import { pinProcess } from './pin.js';

export interface HostedServer {
  url: string;
  pid: number;
  close(): Promise<void>;
}

const START_MS = 30_000;

export async function startHosted(module: string, args: readonly string[], pin?: string): Promise<HostedServer> {
  const m = engineModule(module);
  const child: ChildProcess = fork(m.file, [...args], { execArgv: m.execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString('utf8')).slice(-2000);
  });
  const close = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
      }, 5000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      if (child.connected) child.disconnect();
      else child.kill('SIGTERM');
    });
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${module} did not start within ${START_MS} ms`)), START_MS);
      child.once('message', (msg: { url?: unknown }) => {
        clearTimeout(timer);
        if (typeof msg?.url === 'string') resolve(msg.url);
        else reject(new Error(`${module} announced no URL`));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${module} exited (code ${code}) before it listened: ${stderr.trim().slice(-500)}`));
      });
    });
    if (pin !== undefined) pinProcess(child.pid!, pin);
    return { url, pid: child.pid!, close };
  } catch (err) {
    await close();
    throw err;
  }
}
