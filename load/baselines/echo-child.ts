/**
 * The minimal stdio server for calibration: reads newline-delimited JSON-RPC on stdin and
 * answers every request at once (initialize with a valid result, tools/call echo with its text,
 * anything else with an empty result). No SDK, no validation, one write per input chunk: the
 * cheapest server there can be, so that a client's own cost shows.
 */
const INIT_RESULT = {
  protocolVersion: '2025-11-25',
  capabilities: { tools: {} },
  serverInfo: { name: 'echo-child', version: '0' },
};

let buffered = '';

function answer(line: string): string | undefined {
  if (line.length === 0) return undefined;
  let msg: { id?: unknown; method?: unknown; params?: { name?: unknown; arguments?: { text?: unknown } } };
  try {
    msg = JSON.parse(line);
  } catch {
    return '{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}';
  }
  if (msg.id === undefined) return undefined;
  let result: unknown = {};
  if (msg.method === 'initialize') result = INIT_RESULT;
  else if (msg.method === 'tools/call' && msg.params?.name === 'echo') {
    result = { content: [{ type: 'text', text: String(msg.params.arguments?.text ?? '') }] };
  }
  return JSON.stringify({ jsonrpc: '2.0', id: msg.id, result });
}

process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  buffered += chunk;
  let out = '';
  let nl = buffered.indexOf('\n');
  while (nl >= 0) {
    const reply = answer(buffered.slice(0, nl));
    if (reply !== undefined) out += `${reply}\n`;
    buffered = buffered.slice(nl + 1);
    nl = buffered.indexOf('\n');
  }
  if (out.length > 0) process.stdout.write(out);
});
process.stdin.on('end', () => process.exit(0));
