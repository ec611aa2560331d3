/**
 * Progress on stderr while checks run, so a long run is never silent and stdout stays the
 * report. A line per target; on a TTY also a live counter, rewritten in place.
 */
import { escapeText } from '../report/escape.js';
import type { CheckResult, TargetInfo } from '../report/model.js';
import { countVerdicts } from '../report/model.js';
import { describeRevisions } from '../report/revisions.js';
import { countsText } from '../report/text.js';

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface Progress {
  start(info: TargetInfo, planned: number): void;
  result(result: CheckResult): void;
  message(text: string): void;
  finish(label: string, results: readonly CheckResult[]): void;
}

const CLEAR_LINE = '\r\x1b[2K';

export function createProgress(stream: ProgressStream): Progress {
  const live = stream.isTTY === true;
  let done = 0;
  let planned = 0;
  let counterShown = false;

  const line = (text: string) => {
    stream.write(`${counterShown ? CLEAR_LINE : ''}${text}\n`);
    counterShown = false;
  };

  return {
    // Several targets may run at once: the counter is over all of them.
    start(info, count) {
      planned += count;
      const serves = info.supportedRevisions.length > 0 ? `serves ${describeRevisions(info.supportedRevisions)}` : 'serves no revision';
      line(`mcp-harness: ${escapeText(info.label)} (${info.transport}): ${serves}; ${count} results to produce`);
    },
    result(result) {
      done++;
      if (!live) return;
      stream.write(`${CLEAR_LINE}  [${done}/${planned}] ${result.id} ${result.revision} ${result.verdict}`);
      counterShown = true;
    },
    message(text) {
      line(`mcp-harness: ${escapeText(text)}`);
    },
    finish(label, results) {
      line(`mcp-harness: ${escapeText(label)}: ${countsText(countVerdicts(results))}`);
    },
  };
}
