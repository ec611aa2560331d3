import { describe, expect, it } from 'vitest';
import { splitCommandLine } from '../cli/argv-split.js';
import { UsageError } from '../cli/usage-error.js';

describe('splitCommandLine', () => {
  it.each([
    ['node server.js', ['node', 'server.js']],
    ['  node   server.js\t--port 3  ', ['node', 'server.js', '--port', '3']],
    [`node -e 'console.log("a b")'`, ['node', '-e', 'console.log("a b")']],
    [`python "my server.py" --name "x \\"y\\" z"`, ['python', 'my server.py', '--name', 'x "y" z']],
    [`a "back\\slash \\n kept" b`, ['a', 'back\\slash \\n kept', 'b']],
    [`a "\\\\" b`, ['a', '\\', 'b']],
    [`a\\ b c`, ['a b', 'c']],
    [`a '' ""`, ['a', '', '']],
    [`pre'fix'"suffix"`, ['prefixsuffix']],
    [`a 'it\\'`, ['a', 'it\\']],
    ['a \\\nb', ['a', 'b']],
    [`echo $HOME ; rm -rf / && \`x\``, ['echo', '$HOME', ';', 'rm', '-rf', '/', '&&', '`x`']],
    [`a "$HOME"`, ['a', '$HOME']],
  ])('%s', (line, argv) => {
    expect(splitCommandLine(line)).toEqual(argv);
  });

  it.each([
    [`node 'unterminated`, /unterminated single quote/],
    [`node "unterminated`, /unterminated double quote/],
    [`node "ends with escape\\"`, /unterminated double quote/],
    ['node \\', /lone backslash/],
    ['', /empty command line/],
    ['   \t ', /empty command line/],
  ])('rejects %j', (line, message) => {
    expect(() => splitCommandLine(line)).toThrow(UsageError);
    expect(() => splitCommandLine(line)).toThrow(message);
  });
});
