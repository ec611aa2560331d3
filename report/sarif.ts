/**
 * SARIF 2.1.0 for code-scanning dashboards. One rule per check in the run, listed even when
 * nothing failed (so a dashboard can tell "checked and clean" from "not checked"); one result per
 * failing result (fail and error as `error`, warn as `warning`, info as `note`), located at a
 * file the user names (default package.json: a transport defect has no source line, so the
 * result points at the server's manifest). A known failure is a result with an external
 * suppression carrying its reason, which is how SARIF says "accepted".
 */
import { caseName, targetLabelOf } from './digest.js';
import { escapeText } from './escape.js';
import type { CheckResult, RunReport } from './model.js';
import { sectionLabel } from '../suites/sections.js';

export const DEFAULT_SARIF_LOCATION = 'package.json';

type SarifLevel = 'error' | 'warning' | 'note';

const LEVEL_OF: Partial<Record<CheckResult['verdict'], SarifLevel>> = { fail: 'error', error: 'error', warn: 'warning', info: 'note' };

function ruleLevel(r: CheckResult): SarifLevel {
  return r.level === 'MUST' ? 'error' : r.level === 'SHOULD' ? 'warning' : 'note';
}

function message(r: CheckResult): string {
  const parts = [`${caseName(r)}: ${r.title}.`, r.expected && `Expected ${r.expected}.`, r.actual && `Got ${r.actual}.`, r.reason];
  return escapeText(parts.filter(Boolean).join(' '));
}

export function renderSarif(report: RunReport, location: string = DEFAULT_SARIF_LOCATION): string {
  const rules: CheckResult[] = [];
  for (const r of report.results) if (!rules.some((x) => x.id === r.id)) rules.push(r);
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results = report.results.flatMap((r) => {
    const level = r.verdict === 'expected' ? (LEVEL_OF[r.known?.was ?? 'fail'] as SarifLevel) : LEVEL_OF[r.verdict];
    if (!level) return [];
    return [
      {
        ruleId: r.id,
        ruleIndex: index.get(r.id),
        level,
        message: { text: message(r) },
        locations: [{ physicalLocation: { artifactLocation: { uri: location }, region: { startLine: 1 } } }],
        partialFingerprints: { check: `${r.id}/${r.transport}/${r.revision}/${targetLabelOf(r) ?? ''}` },
        properties: {
          verdict: r.verdict,
          transport: r.transport,
          revision: r.revision,
          ...(targetLabelOf(r) ? { target: escapeText(targetLabelOf(r) as string) } : {}),
        },
        ...(r.verdict === 'expected' ? { suppressions: [{ kind: 'external', justification: escapeText(r.known?.reason ?? '') }] } : {}),
      },
    ];
  });
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'mcp-harness',
            version: report.tool.version,
            informationUri: 'https://modelcontextprotocol.io/specification',
            rules: rules.map((r) => ({
              id: r.id,
              name: r.id,
              shortDescription: { text: r.title },
              fullDescription: { text: r.requirement },
              helpUri: r.spec,
              defaultConfiguration: { level: ruleLevel(r) },
              properties: { tags: [sectionLabel(r.id), r.level] },
            })),
          },
        },
        invocations: [{ executionSuccessful: true, startTimeUtc: report.startedAt }],
        results,
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
