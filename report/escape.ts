/**
 * Text the server controls (tool names, error messages, stdout lines, bodies) must never reach a
 * terminal as live control sequences: a hostile server could recolour the verdict, move the
 * cursor over a FAIL, or hide text with bidirectional overrides. Every renderer goes through
 * this one module, so there is one definition of "unsafe" to review.
 */

/**
 * C0 controls (newline included: callers split lines first, so one that survives would let a
 * server forge a report line), DEL, C1 controls (0x9b is an 8-bit CSI), the Unicode line
 * separators and the bidirectional embedding, override and isolate characters.
 */
const BEYOND_C0 = '\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069';
const UNSAFE = new RegExp(`[\u0000-\u001f${BEYOND_C0}]`, 'g');
/** In JSON text the C0 characters left are the pretty-printer's own newlines; strings had theirs escaped. */
const UNSAFE_IN_JSON = new RegExp(`[${BEYOND_C0}]`, 'g');

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function hex(code: number): string {
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Show control characters as escapes (ESC as \x1b, LF as \n), so the text prints inert on one line. */
export function escapeText(text: string): string {
  return text.replace(UNSAFE, (c) => NAMED[c] ?? hex(c.charCodeAt(0)));
}

/**
 * For JSON output: JSON.stringify already escapes C0 controls, but leaves C1 and bidi characters
 * raw, and a user may `cat` the report. JSON \u escapes keep the data exact while making it inert.
 */
export function escapeJsonText(json: string): string {
  return json.replace(UNSAFE_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
