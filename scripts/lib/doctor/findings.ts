// What `npm run doctor` reports: one finding per check, each failed one with the fix a person can
// act on, every finding in one run.

export type Area = 'configuration' | 'NetSuite' | '2Checkout' | 'Temporal';

export interface Finding {
  area: Area;
  /** What was checked, e.g. "custom record type customrecord_2co_subscription". */
  check: string;
  /** ok: there; fail: needed and missing (exit 1); skip: not checked, and why (needs an earlier check, or not used). */
  status: 'ok' | 'fail' | 'skip';
  /** What was found. */
  detail: string;
  /** For a failure: what to do. */
  fix?: string;
}

export class Findings {
  readonly all: Finding[] = [];
  ok(area: Area, check: string, detail: string): void {
    this.all.push({ area, check, status: 'ok', detail });
  }
  fail(area: Area, check: string, detail: string, fix: string): void {
    this.all.push({ area, check, status: 'fail', detail, fix });
  }
  skip(area: Area, check: string, detail: string): void {
    this.all.push({ area, check, status: 'skip', detail });
  }
  get failures(): Finding[] {
    return this.all.filter((f) => f.status === 'fail');
  }
}

const MARK = { ok: '✓', fail: '✗', skip: '–' } as const;

export function formatFindings(findings: Findings): string {
  const lines: string[] = [];
  for (const area of ['configuration', 'NetSuite', '2Checkout', 'Temporal'] as const) {
    const of = findings.all.filter((f) => f.area === area);
    if (of.length === 0) continue;
    lines.push('', `${area}:`);
    for (const f of of) {
      lines.push(`  ${MARK[f.status]} ${f.check}: ${f.detail}`);
      if (f.fix) lines.push(`      fix: ${f.fix}`);
    }
  }
  const n = findings.failures.length;
  lines.push(
    '',
    n === 0
      ? 'Everything the sync needs is there.'
      : `${n} problem${n === 1 ? '' : 's'}: the sync is not ready. Fix ${n === 1 ? 'it' : 'them'} and run npm run doctor again.`,
  );
  return lines.join('\n');
}
