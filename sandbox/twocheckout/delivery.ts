// Delivers notifications the way 2Checkout would, with the sandbox's two extra powers: every IPN
// is first recorded in the store the REST API sandbox serves (so the order exists in both), and
// chosen notifications can be dropped (recorded but never sent), to simulate a lost webhook.
import { request } from 'undici';
import type { SignatureAlgorithm } from '../../twocheckout/webhooks/signature.js';
import { sendNotification, signedBody, type NotificationInput, type PostOptions, type PostResult } from './sender.js';
import type { TwoCheckoutStore } from './store.js';

export interface DeliveryOptions extends PostOptions {
  algorithms?: readonly SignatureAlgorithm[];
  /** The store of an in-process API sandbox, or the base URL of one running elsewhere (`npm start`). */
  recordIn?: TwoCheckoutStore | string;
  /** Which notifications are lost: recorded in 2Checkout, never delivered. */
  drop?: (n: NotificationInput, index: number) => boolean;
}

export interface Delivery {
  notification: NotificationInput;
  dropped: boolean;
  result?: PostResult;
}

async function record(n: NotificationInput, to: TwoCheckoutStore | string, secretKey: string): Promise<void> {
  if (n.kind !== 'ipn') return; // the API sandbox serves orders; subscriptions are not served yet
  if (typeof to !== 'string') {
    to.recordIpn(n.input);
    return;
  }
  const res = await request(`${to.replace(/\/+$/, '')}/__sandbox/ipn`, {
    method: 'POST',
    body: signedBody(n, secretKey),
  });
  const text = await res.body.text();
  if (res.statusCode !== 200)
    throw new Error(
      `the 2Checkout API sandbox at ${to} did not record IPN ${n.input.refNo}: HTTP ${res.statusCode} ${text.slice(0, 200)}`,
    );
}

/** Records each notification in 2Checkout's store and posts it to `urlFor(n)` unless dropped. */
export async function deliver(
  notifications: readonly NotificationInput[],
  urlFor: (n: NotificationInput) => string,
  opts: DeliveryOptions,
): Promise<Delivery[]> {
  const out: Delivery[] = [];
  for (const [i, n] of notifications.entries()) {
    if (opts.recordIn !== undefined) await record(n, opts.recordIn, opts.secretKey);
    if (opts.drop?.(n, i)) {
      out.push({ notification: n, dropped: true });
      continue;
    }
    out.push({ notification: n, dropped: false, result: await sendNotification(urlFor(n), n, opts) });
  }
  return out;
}
