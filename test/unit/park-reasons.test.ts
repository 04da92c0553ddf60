// The park-reason catalogue is the one list of reasons: the workflows accept exactly its codes, the
// operator docs explain each, and the mapping-fixable ones are the ones a broken mapping file blocks.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ATTENTION_REASONS,
  isParkReason,
  MAPPING_PARK_REASONS,
  PARK_REASON_CODES,
  reasonText,
} from '../../mappings/park-reasons.js';
import { repoRoot } from '../../shared/temporal-binaries.js';
import { stuckQuery } from '../../operations/stuck-syncs.js';

describe('park reasons', () => {
  it('are each explained in docs/operating.md, "Park reasons"', () => {
    const doc = readFileSync(join(repoRoot, 'docs', 'operating.md'), 'utf8');
    const table = doc.slice(doc.indexOf('### Park reasons'), doc.indexOf('## Resuming and re-syncing'));
    const missing = Object.keys(ATTENTION_REASONS).filter((code) => !table.includes(`| \`${code}\``));
    expect(missing, 'add a row for each to the table in docs/operating.md').toEqual([]);
  });

  it('have a text for every code, and nothing else passes for a code', () => {
    for (const code of PARK_REASON_CODES) expect(reasonText(code)?.fix.length).toBeGreaterThan(10);
    expect(isParkReason('RENEWAL_MISSED')).toBe(false);
    expect(isParkReason('toString')).toBe(false);
    expect(reasonText('NOT_A_REASON')).toBeUndefined();
  });

  it('that a mapping edit fixes are the unmapped ones and MAPPING_ERROR', () => {
    expect([...MAPPING_PARK_REASONS].sort()).toEqual([
      'MAPPING_ERROR',
      'UNMAPPED_CURRENCY',
      'UNMAPPED_PAYMENT_METHOD',
      'UNMAPPED_PRODUCT',
    ]);
  });

  it('a missed renewal is found by its subscription status, a park by its reason', () => {
    expect(stuckQuery({ mode: 'parked', reason: 'RENEWAL_MISSED' })).toBe(
      `SyncStatus = 'NeedsAttention' AND SubscriptionStatus = 'RENEWAL_MISSED'`,
    );
    expect(stuckQuery({ mode: 'parked', reason: 'PAYOUT_VARIANCE' })).toBe(
      `SyncStatus = 'NeedsAttention' AND ParkReason = 'PAYOUT_VARIANCE'`,
    );
  });
});
