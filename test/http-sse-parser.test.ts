import { describe, expect, it } from 'vitest';
import { SseParser } from '../drivers/sse-parser.js';
import type { SseEvent } from '../drivers/wire-log.js';

function parse(chunks: Array<string | Uint8Array>): { events: SseEvent[]; parser: SseParser } {
  const events: SseEvent[] = [];
  const parser = new SseParser((e) => {
    events.push(e);
    return undefined;
  });
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return { events, parser };
}

describe('SseParser', () => {
  it('reads fields, multi-line data and the three line ends', () => {
    const { events } = parse(['event: a\ndata: one\r\ndata: two\rid: 7\r\n\r\n', 'data:x\n\n']);
    expect(events).toEqual([{ event: 'a', data: 'one\ntwo', id: '7' }, { data: 'x' }]);
  });

  it('treats a CRLF split across chunks as one line end', () => {
    const { events } = parse(['data: a\r', '\n\r', '\ndata: b\n\n']);
    expect(events).toEqual([{ data: 'a' }, { data: 'b' }]);
  });

  it('surfaces the priming event (an id with empty data) as an event with data ""', () => {
    const { events, parser } = parse(['id: prime\ndata:\n\n']);
    expect(events).toEqual([{ id: 'prime', data: '' }]);
    expect(parser.lastEventId).toBe('prime');
  });

  it('surfaces id-only and retry-only blocks, marked noData', () => {
    const { events, parser } = parse(['retry: 1500\n\nid: 9\n\n']);
    expect(events).toEqual([
      { data: '', retry: 1500, noData: true },
      { data: '', id: '9', noData: true },
    ]);
    expect(parser.reconnectMs).toBe(1500);
  });

  it('ignores comments (counting them), unknown fields, bad retry values and ids with NUL', () => {
    const { events, parser } = parse([':\r\n: keep-alive\nfoo: bar\nretry: 1s\nid: a\0b\ndata: d\n\n']);
    expect(events).toEqual([{ data: 'd' }]);
    expect(parser.comments).toBe(2);
  });

  it('keeps only the block’s own id on an event; lastEventId carries over', () => {
    const { events, parser } = parse(['id: 1\ndata: a\n\ndata: b\n\n']);
    expect(events[1]).toEqual({ data: 'b' });
    expect(parser.lastEventId).toBe('1');
  });

  it('strips one leading BOM and one space after the colon, and decodes UTF-8 split across chunks', () => {
    const bytes = new TextEncoder().encode('\uFEFFdata:  café\n\n');
    const { events } = parse([bytes.subarray(0, 11), bytes.subarray(11)]);
    expect(events).toEqual([{ data: ' café' }]);
  });

  it('drops an unterminated event at the end of the stream', () => {
    const { events, parser } = parse(['data: complete\n\ndata: partial\n']);
    expect(events).toEqual([{ data: 'complete' }]);
    expect(parser.hasIncompleteEvent).toBe(true);
  });

  it('stops when the handler returns false', () => {
    const seen: string[] = [];
    const parser = new SseParser((e) => {
      seen.push(e.data);
      return seen.length < 2;
    });
    parser.push('data: 1\n\ndata: 2\n\ndata: 3\n\n');
    parser.push('data: 4\n\n');
    expect(seen).toEqual(['1', '2']);
    expect(parser.isStopped).toBe(true);
  });
});
