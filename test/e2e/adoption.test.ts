// Adoption, end to end against both sandboxes, on a handful of orders the previous tool booked:
// webhooks of fresh orders and of old ones find its records in the look-up they make anyway, adopt
// them (never a second record), link them (externalId where NetSuite takes it, else the link
// record), park an adopted order that differs without touching it, and a refund of an adopted
// order credits the adopted invoice. Both behaviours of NetSuite for a PATCH of a transaction's
// externalId (UNCONFIRMED) are run.
import { describe, expect, it } from 'vitest';
import { ADOPTION_RECORD } from '../../mappings/custom-objects.js';
import { externalIds } from '../../mappings/ids.js';
import { deliver } from '../../sandbox/twocheckout/delivery.js';
import { fullRefund } from '../../sandbox/twocheckout/scenarios.js';
import { orderWorkflowId } from '../../workflows/messages.js';
import { useFixture } from '../support/fixture.js';
import { startCompletenessStack, type CompletenessStack } from '../support/completeness.js';
import {
  bookingCounts,
  mappingsWithAdoption,
  recordsBooking,
  seedBoth,
  type SeededOrder,
} from '../support/previous-tool.js';
import { SECRET_KEY } from '../support/stack.js';

for (const editable of [true, false]) {
  describe(`adoption (NetSuite ${editable ? 'takes' : 'refuses'} a transaction's new externalId)`, () => {
    const s = useFixture<CompletenessStack>(
      'the stack',
      () =>
        startCompletenessStack({
          mappings: mappingsWithAdoption(),
          transactionExternalIdEditable: editable,
          policy: { idleClose: '1h' },
        }),
      (x) => x.close(),
    );

    const send = (orders: SeededOrder[]) =>
      deliver(
        orders.map((o) => ({ kind: 'ipn' as const, input: o.input })),
        () => s.ipnUrl,
        { secretKey: SECRET_KEY },
      );

    it('webhooks of fresh and old orders adopt what the previous tool booked and post only what it did not', async () => {
      const base = editable ? 81_000_000 : 82_000_000;
      // Fresh orders (sold a moment ago: their first step is the customer match) and old ones (a
      // week ago: their first step is the look-up), each with one missing and one different.
      const fresh = await seedBoth(s, {
        orders: 6,
        missing: 1,
        different: 1,
        from: new Date(Date.now() - 60_000).toISOString(),
        refNoBase: base,
      });
      const old = await seedBoth(s, {
        orders: 6,
        missing: 1,
        different: 1,
        from: new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10),
        refNoBase: base + 100,
      });
      const all = [...fresh, ...old];
      const totalsBefore = new Map(
        all
          .filter((o) => o.records)
          .map((o) => [o.refNo, s.sandbox.record('salesOrder', o.records!.salesOrderId)!.total]),
      );
      await send(all);
      for (const o of all) {
        const state = await s.waitForOrder(
          o.refNo,
          (st) => st.syncStatus === (o.booking === 'different' ? 'NeedsAttention' : 'Synced'),
          60_000,
        );
        if (o.booking === 'different') expect(state.park?.reason, o.refNo).toBe('ADOPTED_RECORD_DIFFERS');
        if (o.booking !== 'missing') {
          expect(state.records, o.refNo).toMatchObject({
            salesOrderId: o.records!.salesOrderId,
            invoiceId: o.records!.invoiceId,
            paymentId: o.records!.paymentId,
            customerId: o.records!.customerId,
          });
          expect(state.adoption?.adopted.map((d) => d.role).sort(), o.refNo).toEqual([
            'customerPayment',
            'invoice',
            'salesOrder',
          ]);
          // A fresh order found the booking in its customer query; an old one in its first look-up.
          if (fresh.includes(o))
            expect(
              state.journal.map((j) => j.what),
              o.refNo,
            ).toContain('customer adopted');
        }
        expect(bookingCounts(s.sandbox, o), o.refNo).toEqual([1, 1, 1, 1]);
      }
      // The differing one is parked with both figures and was not overwritten.
      const diff = fresh.find((o) => o.booking === 'different')!;
      const parked = await s.orderState(diff.refNo);
      expect(parked.park?.message).toMatch(/sales order SO\d+: NetSuite \d+\.\d\d ([A-Z]{3}), 2Checkout \d+\.\d\d \1/);
      for (const o of all.filter((x) => x.records))
        expect(s.sandbox.record('salesOrder', o.records!.salesOrderId)!.total, o.refNo).toBe(totalsBefore.get(o.refNo));

      // The links: the externalId where the record had none and NetSuite took it; else the link record.
      for (const o of all.filter((x) => x.booking === 'equal')) {
        const so2 = s.sandbox.record('salesOrder', o.records!.salesOrderId)!;
        const links = s.sandbox
          .records(ADOPTION_RECORD.scriptId)
          .filter((r) => r.externalId === externalIds.salesOrder(o.refNo));
        if (editable && !o.ownExternalIds) {
          expect(so2.externalId, o.refNo).toBe(externalIds.salesOrder(o.refNo));
          expect(links).toHaveLength(0);
        } else {
          expect(so2.externalId ?? null, o.refNo).toBe(o.ownExternalIds ? `tray-so-${o.refNo}` : null);
          expect(
            links.map((l) => String(l[ADOPTION_RECORD.fields.transaction.scriptId])),
            o.refNo,
          ).toEqual([o.records!.salesOrderId]);
        }
      }
    }, 240_000);

    it('a late refund of an adopted order credits the adopted invoice, once', async () => {
      const base = editable ? 81_000_500 : 82_000_500;
      const [o] = await seedBoth(s, {
        orders: 1,
        missing: 0,
        different: 0,
        from: new Date(Date.now() - 20 * 86_400_000).toISOString().slice(0, 10),
        refNoBase: base,
      });
      const refund = fullRefund(o!.input, { at: new Date(Date.now() - 60_000) });
      await deliver(
        [
          { kind: 'ipn', input: refund },
          { kind: 'ipn', input: refund },
        ],
        () => s.ipnUrl,
        { secretKey: SECRET_KEY },
      );
      const state = await s.waitForOrder(
        o!.refNo,
        (st) => st.syncStatus === 'Synced' && Object.keys(st.records.creditMemos ?? {}).length > 0,
        60_000,
      );
      const memos = s.sandbox
        .records('creditMemo')
        .filter((c) => String((c.createdFrom as { id?: string } | undefined)?.id) === o!.records!.invoiceId);
      expect(memos).toHaveLength(1);
      expect(Object.values(state.records.creditMemos ?? {})[0]?.creditMemoId).toBe(String(memos[0]!.id));
      expect(recordsBooking(s.sandbox, 'salesOrder', o!.refNo)).toEqual([o!.records!.salesOrderId]);
      expect(s.sandbox.duplicates().moneyRecordsByKey).toEqual([]);
      await s.env.client.workflow.getHandle(orderWorkflowId(o!.refNo)).terminate('test done');
    }, 120_000);
  });
}
