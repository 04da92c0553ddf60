// Writes examples/*.txt: 2Checkout IPN and LCN bodies as 2Checkout posts them (form-urlencoded,
// signed with the demo secret key, so `npm start`'s gateway accepts them), with fixed dates and
// references so the files stay the same. Run: npx tsx scripts/generate-examples.ts
import { repoRoot } from '../shared/temporal-binaries.js';
import { writeFileSync } from 'node:fs';
import { DEMO_ENV } from '../sandbox/demo-env.js';
import { signedIpn, signedLcn } from '../sandbox/twocheckout/sender.js';
import {
  cardOrder,
  eurOrder,
  fullRefund,
  partialRefund,
  threeLineOrder,
  chargeback,
  subscriptionOrder,
  renewalOrder,
  licenseChange,
  licenseExpiration,
  unmappedProductOrder,
} from '../sandbox/twocheckout/scenarios.js';
const key = DEMO_ENV.TWOCHECKOUT_SECRET_KEY;
const at = new Date('2026-11-02T09:14:05Z');
const day = 86_400_000;
const w = (name: string, body: string) => writeFileSync(`${repoRoot}/examples/${name}`, body);
const order = cardOrder('250000101', 'COMPLETE', { at });
w('ipn-order-complete.txt', signedIpn(order, key));
w('ipn-order-eur.txt', signedIpn(eurOrder('250000102', { at }), key));
const three = threeLineOrder('250000103', { at });
w('ipn-order-three-lines.txt', signedIpn(three, key));
w(
  'ipn-refund-partial.txt',
  signedIpn(
    partialRefund(three, {
      lines: [1],
      at: new Date(at.getTime() + 3 * day),
      messageId: '7700000001',
      reason: 'Customer changed their mind',
    }),
    key,
  ),
);
w(
  'ipn-refund-full.txt',
  signedIpn(fullRefund(order, { at: new Date(at.getTime() + 5 * day), messageId: '7700000002' }), key),
);
w(
  'ipn-chargeback-open.txt',
  signedIpn(chargeback(order, 'OPEN', { at: new Date(at.getTime() + 9 * day), messageId: '7700000003' }), key),
);
w(
  'ipn-chargeback-lost.txt',
  signedIpn(chargeback(order, 'LOST', { at: new Date(at.getTime() + 40 * day), messageId: '7700000004' }), key),
);
w('ipn-unmapped-product.txt', signedIpn(unmappedProductOrder('250000104', { at }), key));
const sub = subscriptionOrder('250000105', { at, licenseRef: 'DEMOLIC001' });
w('ipn-subscription-first.txt', signedIpn(sub, key));
const renAt = new Date('2026-12-02T09:14:05Z');
w(
  'ipn-subscription-renewal.txt',
  signedIpn(
    renewalOrder('250000106', {
      at: renAt,
      customerSeed: '250000105',
      licenseRef: 'DEMOLIC001',
      originalRefNoExt: [sub.refNoExt ?? ''],
    }),
    key,
  ),
);
w(
  'lcn-licence-change.txt',
  signedLcn(
    licenseChange('DEMOLIC001', {
      at: new Date(renAt.getTime() + 60_000),
      customerSeed: '250000105',
      lastOrderRef: '250000106',
      renewalsNumber: 1,
      expirationDate: '2027-01-02 11:14:05',
    }),
    key,
  ),
);
w(
  'lcn-licence-expiration.txt',
  signedLcn(licenseExpiration('DEMOLIC001', { at: new Date('2027-01-02T09:14:05Z'), customerSeed: '250000105' }), key),
);
