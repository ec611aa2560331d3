import { referenceTarget } from '../reference-servers/start.js';
const ref = await referenceTarget('sdk-http-sse', ['no-priming-event']);
const url = (ref.target as { url: string }).url;
const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', origin: new URL(url).origin }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x', version: '0' } } }) });
console.log(r.status, [...r.headers]);
const t = setTimeout(() => { console.log('TIMEOUT'); }, 3000);
console.log(JSON.stringify(await r.text()));
clearTimeout(t);
await ref.close();
