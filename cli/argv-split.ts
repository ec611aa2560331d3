/**
 * `--cmd "node server.js --flag 'a b'"` into argv, with POSIX shell quoting rules but no shell:
 * nothing is expanded, substituted or globbed, so a command line cannot run anything it does
 * not name. Single quotes are literal; in double quotes a backslash escapes only " \ $ ` and
 * newline; elsewhere a backslash escapes the next character.
 */
import { UsageError } from './usage-error.js';

const DOUBLE_QUOTE_ESCAPES = new Set(['"', '\\', '$', '`', '\n']);

export function splitCommandLine(line: string): string[] {
  const args: string[] = [];
  let word = '';
  /** a word exists even when empty, once a quote opened it: `''` is an empty argument */
  let inWord = false;
  let i = 0;
  const end = () => {
    if (inWord) args.push(word);
    word = '';
    inWord = false;
  };
  while (i < line.length) {
    const c = line[i] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      end();
      i++;
    } else if (c === "'") {
      const close = line.indexOf("'", i + 1);
      if (close < 0) throw new UsageError(`unterminated single quote in command line: ${line}`);
      word += line.slice(i + 1, close);
      inWord = true;
      i = close + 1;
    } else if (c === '"') {
      i++;
      inWord = true;
      for (;;) {
        if (i >= line.length) throw new UsageError(`unterminated double quote in command line: ${line}`);
        const d = line[i] as string;
        if (d === '"') break;
        const next = line[i + 1];
        if (d === '\\' && next !== undefined && DOUBLE_QUOTE_ESCAPES.has(next)) {
          if (next !== '\n') word += next;
          i += 2;
        } else {
          word += d;
          i++;
        }
      }
      i++;
    } else if (c === '\\') {
      const next = line[i + 1];
      if (next === undefined) throw new UsageError(`command line ends with a lone backslash: ${line}`);
      // backslash-newline continues the line, as in a shell
      if (next !== '\n') {
        word += next;
        inWord = true;
      }
      i += 2;
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  end();
  if (args.length === 0) throw new UsageError('empty command line');
  return args;
}
