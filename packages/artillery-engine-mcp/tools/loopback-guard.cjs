'use strict';
/**
 * Preload for the engine's tests and benchmark: `NODE_OPTIONS="--require .../loopback-guard.cjs"`.
 *
 * Artillery 2 posts a telemetry event on every `artillery run`, even with
 * ARTILLERY_DISABLE_TELEMETRY set (it then strips the event's properties but still sends it).
 * Where only loopback may be reached, every outgoing TCP connection to a host that is not
 * loopback is refused here before any DNS lookup, in the main thread and in Artillery's worker
 * threads alike (NODE_OPTIONS reaches both), so a run can never send traffic off the machine.
 * Its telemetry client (posthog-node) is replaced by one that sends nothing: refused, the real
 * client retries for about ten seconds before `artillery run` may exit.
 */
const Module = require('node:module');
const net = require('node:net');

class SilentTelemetry {
  capture() {}
  async shutdownAsync() {}
}
const load = Module._load;
Module._load = function guardedLoad(request, ...rest) {
  if (request === 'posthog-node') return { PostHog: SilentTelemetry };
  return load.call(this, request, ...rest);
};

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|::1|\[::1\]|::ffff:127(?:\.\d{1,3}){3})$/i;
const connect = net.Socket.prototype.connect;

function hostOf(args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (first !== null && typeof first === 'object') {
    if (typeof first.path === 'string') return undefined; // a Unix socket
    return first.host ?? 'localhost';
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return undefined; // a pipe path
  return typeof args[1] === 'string' ? args[1] : 'localhost';
}

net.Socket.prototype.connect = function guardedConnect(...args) {
  const host = hostOf(args);
  if (host !== undefined && !LOOPBACK.test(String(host))) {
    const err = Object.assign(new Error(`loopback-guard: refused a connection to ${host}`), { code: 'ECONNREFUSED' });
    process.nextTick(() => this.destroy(err));
    return this;
  }
  return connect.apply(this, args);
};
