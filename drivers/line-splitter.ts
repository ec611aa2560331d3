/**
 * Splits a byte stream on LF, exactly: nothing else ends a line, a CR before the LF stays part of
 * the line, and blank lines are lines. Shared by the stdio driver (which must see every byte a
 * server writes) and the stdio reference servers.
 *
 * Splitting works on bytes, not decoded text: LF (0x0A) never occurs inside a UTF-8 multi-byte
 * sequence, so a chunk boundary inside a character cannot corrupt a line, and a line that is not
 * valid UTF-8 still reaches the sink as its own bytes.
 *
 * Memory is bounded: a line longer than `maxLineBytes` is not buffered; its first bytes are kept
 * as a head and the rest is counted until the LF that ends it.
 */

const OVERSIZE_HEAD_BYTES = 4096;

export interface LineSink {
  /** a complete line without its LF; `terminated` is false for a final line that had no LF at EOF */
  line(bytes: Buffer, terminated: boolean): void;
  /** a line longer than the bound: its first bytes and its full length */
  oversize(head: Buffer, totalBytes: number): void;
}

export class LineSplitter {
  private parts: Buffer[] = [];
  private partBytes = 0;
  /** set while skipping the rest of an oversize line */
  private overflow: { head: Buffer; total: number } | undefined;

  constructor(
    private readonly sink: LineSink,
    private readonly maxLineBytes: number,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    let lf = chunk.indexOf(10, start);
    while (lf !== -1) {
      this.finishLine(chunk, start, lf);
      start = lf + 1;
      lf = chunk.indexOf(10, start);
    }
    if (start < chunk.length) this.keep(chunk.subarray(start));
  }

  /** End of stream: an unterminated last line is still a line. */
  end(): void {
    if (this.overflow) {
      const { head, total } = this.overflow;
      this.overflow = undefined;
      this.sink.oversize(head, total);
      return;
    }
    if (this.partBytes > 0) this.sink.line(this.take(), false);
  }

  private finishLine(chunk: Buffer, start: number, lf: number): void {
    if (this.overflow) {
      const { head, total } = this.overflow;
      this.overflow = undefined;
      this.sink.oversize(head, total + (lf - start));
      return;
    }
    if (this.partBytes === 0) {
      if (lf - start > this.maxLineBytes) this.sink.oversize(chunk.subarray(start, start + OVERSIZE_HEAD_BYTES), lf - start);
      else this.sink.line(chunk.subarray(start, lf), true);
      return;
    }
    this.keep(chunk.subarray(start, lf));
    if (this.overflow) {
      const { head, total } = this.overflow;
      this.overflow = undefined;
      this.sink.oversize(head, total);
      return;
    }
    this.sink.line(this.take(), true);
  }

  private keep(piece: Buffer): void {
    if (this.overflow) {
      this.overflow.total += piece.length;
      return;
    }
    this.parts.push(piece);
    this.partBytes += piece.length;
    if (this.partBytes > this.maxLineBytes) {
      const total = this.partBytes;
      const head = this.take().subarray(0, OVERSIZE_HEAD_BYTES);
      // Copy: the head must not pin the whole oversize buffer in memory.
      this.overflow = { head: Buffer.from(head), total };
    }
  }

  private take(): Buffer {
    const line = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.partBytes);
    this.parts = [];
    this.partBytes = 0;
    return line;
  }
}
