/**
 * `npm run bench:calibrate`: runs the calibration and prints the ratios; writes the report to
 * results/calibration-<time>.json. Options: --repeats N --duration MS --no-pin.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../cli/self.js';
import { formatCalibration } from '../report/calibration-md.js';
import { calibrate, DEFAULT_CALIBRATION } from './calibrate.js';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const report = await calibrate({
  repeats: Number(flag('--repeats') ?? DEFAULT_CALIBRATION.repeats),
  durationMs: Number(flag('--duration') ?? DEFAULT_CALIBRATION.durationMs),
  warmupMs: Number(flag('--warmup') ?? DEFAULT_CALIBRATION.warmupMs),
  ...(process.argv.includes('--no-pin') ? { pin: null } : {}),
  log: (line) => process.stderr.write(`${line}\n`),
});
const dir = join(PROJECT_ROOT, 'results');
mkdirSync(dir, { recursive: true });
const file = join(dir, `calibration-${report.startedAt.replace(/[:.]/g, '-')}.json`);
writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
process.stdout.write(`${formatCalibration(report)}\n\nreport: ${file}\n`);
