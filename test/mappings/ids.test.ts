import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { externalIds, safeIdPart } from '../../mappings/ids.js';

// A NetSuite externalId is the only thing a new run has to find its records by: two different
// 2Checkout references must never share one, and ids already written to live books must not move.
describe('externalIds are injective', () => {
  it('keeps references made only of safe characters byte-identical (existing books are still found)', () => {
    expect(externalIds.salesOrder('123456789')).toBe('2co-so-123456789');
    expect(externalIds.creditMemo('123456789', '987654')).toBe('2co-cm-123456789-987654');
    expect(externalIds.customer('2co', 'AB_12-x')).toBe('2co-cust-2co-AB_12-x');
    expect(externalIds.subscription('LIC-ABC_1')).toBe('2co-sub-LIC-ABC_1');
  });

  it('gives different references different ids where they used to collide', () => {
    const refs = [
      'a.b@x.example',
      'a_b@x.example',
      'a_b_x_example',
      'a b@x.example',
      ' a_b_x_example',
      'a_b_x_example ',
      'a.b.x.example',
      'ä_b_x_example',
    ];
    const ids = refs.map((r) => externalIds.customer('mref', r));
    expect(new Set(ids).size).toBe(refs.length);
    // The IPN_DATE shape of event refs: '2026-01-02 10:00:00' and '2026-01-02_10_00_00' used to collide too.
    expect(externalIds.creditMemo('1', '2026-01-02 10:00:00')).not.toBe(
      externalIds.creditMemo('1', '2026-01-02_10_00_00'),
    );
  });

  it('never lets a verbatim reference imitate a hashed one', () => {
    const hashed = safeIdPart('a.b@x.example');
    expect(hashed).not.toBe('a.b@x.example');
    // Someone types the hashed form as their reference: it must not land on the same id.
    expect(safeIdPart(hashed)).not.toBe(hashed);
  });

  it('only writes characters NetSuite accepts in an eid: path, readable and bounded', () => {
    for (const raw of ['a.b@x.example', 'Ünïcødé ✓', 'x.'.repeat(250), '||||']) {
      const part = safeIdPart(raw);
      expect(part).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(part.length).toBeLessThanOrEqual(64);
    }
    expect(safeIdPart('a.b@x.example')).toMatch(/^a_b_x_example/);
  });

  it('uses SHA-256 of the raw reference (the same digest anywhere, no Node APIs needed)', () => {
    const digest = createHash('sha256').update('a.b@x.example', 'utf8').digest('hex').slice(0, 24);
    expect(safeIdPart('a.b@x.example')).toContain(digest);
    const uni = createHash('sha256').update('Ünïcødé ✓ 𝄞', 'utf8').digest('hex').slice(0, 24);
    expect(safeIdPart('Ünïcødé ✓ 𝄞')).toContain(uni);
  });

  it("keeps the id of a shopper's customer in another subsidiary apart from every plain customer id", () => {
    expect(externalIds.customerInSubsidiary('2co', '880001', '2')).toBe('2co-cust-s2-2co-880001');
    // Whatever a merchant reference looks like, it cannot produce the per-subsidiary id.
    for (const ref of ['880001-s2', 's2-2co-880001', '2co-880001']) {
      for (const kind of ['ext', '2co', 'email'])
        expect(externalIds.customer(kind, ref)).not.toBe(externalIds.customerInSubsidiary('2co', '880001', '2'));
    }
  });

  it('refuses an empty reference', () => {
    expect(() => safeIdPart('')).toThrow(/empty/);
    expect(() => safeIdPart('   ')).toThrow(/empty/);
  });
});
