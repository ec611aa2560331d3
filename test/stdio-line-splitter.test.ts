import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../drivers/line-splitter.js';

function split(chunks: Array<string | Buffer>, max = 1024, end = false) {
  const out: Array<{ text: string; terminated?: boolean; oversize?: number }> = [];
  const s = new LineSplitter(
    {
      line: (bytes, terminated) => out.push({ text: bytes.toString('latin1'), terminated }),
      oversize: (head, total) => out.push({ text: head.toString('latin1'), oversize: total }),
    },
    max,
  );
  for (const c of chunks) s.push(Buffer.isBuffer(c) ? c : Buffer.from(c, 'latin1'));
  if (end) s.end();
  return out;
}

describe('LineSplitter', () => {
  it('splits on LF only, keeping CR and blank lines', () => {
    expect(split(['a\r\n\nb\rc\n']).map((l) => l.text)).toEqual(['a\r', '', 'b\rc']);
  });

  it('joins a line split across chunks, and several lines in one chunk', () => {
    expect(split(['{"a"', ':1}\n{"b":2}\n{"c"', '', ':3}\n']).map((l) => l.text)).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });

  it('keeps a multi-byte character split across chunks intact', () => {
    const bytes = Buffer.from('é✓\n', 'utf8');
    const out: string[] = [];
    const s = new LineSplitter({ line: (b) => out.push(b.toString('utf8')), oversize: () => {} }, 100);
    for (const byte of bytes) s.push(Buffer.from([byte]));
    expect(out).toEqual(['é✓']);
  });

  it('delivers an unterminated last line at end of stream', () => {
    expect(split(['x\ny'], 1024, true)).toEqual([
      { text: 'x', terminated: true },
      { text: 'y', terminated: false },
    ]);
  });

  it('bounds an oversize line: head and length reported, the following line intact', () => {
    const out = split(['0123456789', 'abcdefghij', 'klm\nnext\n'], 16);
    expect(out[0]!.oversize).toBe(23);
    expect(out[0]!.text.startsWith('0123456789abcdef')).toBe(true);
    expect(out[1]).toEqual({ text: 'next', terminated: true });
    const single = split(['x'.repeat(40) + '\nok\n'], 16);
    expect(single[0]!.oversize).toBe(40);
    expect(single[1]!.text).toBe('ok');
  });
});
