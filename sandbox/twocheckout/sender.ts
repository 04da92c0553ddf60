// The 2Checkout notification sender used by the demo, the tests and the benchmark: builds an IPN
// or LCN, signs it, POSTs it like 2Checkout does and checks the read receipt by recomputing it
// (docs/reference-notes.md#2co-transport "Simulator").
import { request, type Dispatcher } from 'undici';
import type { SignatureAlgorithm } from '../../twocheckout/webhooks/signature.js';
import { parseForm } from '../../twocheckout/webhooks/form.js';
import { verifyReceipt } from '../../twocheckout/webhooks/receipt.js';
import { notificationKind } from '../../mappings/from-2checkout.js';
import type { NotificationFields } from './fields.js';
import { buildIpnFields, type IpnOrderInput } from './ipn-fields.js';
import { buildLcnFields, type LcnInput } from './lcn-fields.js';
import { DEFAULT_SEND_ALGORITHMS, encodeForm, signNotification } from './wire.js';

export type { CustomerInput, NotificationFields, PartyInput } from './fields.js';
export { buildIpnFields, type IpnLineInput, type IpnOrderInput, type LicenseInput } from './ipn-fields.js';
export { buildLcnFields, type DispatchReason, type LcnInput } from './lcn-fields.js';
export { DEFAULT_SEND_ALGORITHMS, encodeForm, signNotification, withField } from './wire.js';

/** A notification to send, tagged with its family. */
export type NotificationInput = { kind: 'ipn'; input: IpnOrderInput } | { kind: 'lcn'; input: LcnInput };

export function notificationFields(n: NotificationInput): NotificationFields {
  return n.kind === 'ipn' ? buildIpnFields(n.input) : buildLcnFields(n.input);
}

/** Built, signed and encoded: the body 2Checkout would POST. */
export function signedBody(
  n: NotificationInput,
  secretKey: string,
  algorithms: readonly SignatureAlgorithm[] = DEFAULT_SEND_ALGORITHMS,
): string {
  return encodeForm(signNotification(notificationFields(n), secretKey, algorithms));
}

export const signedIpn = (order: IpnOrderInput, secretKey: string, algorithms?: readonly SignatureAlgorithm[]) =>
  signedBody({ kind: 'ipn', input: order }, secretKey, algorithms);
export const signedLcn = (lcn: LcnInput, secretKey: string, algorithms?: readonly SignatureAlgorithm[]) =>
  signedBody({ kind: 'lcn', input: lcn }, secretKey, algorithms);

export interface PostResult {
  status: number;
  body: string;
  /** True when the answer is 200 and carries a receipt whose hash we recomputed. */
  receiptValid: boolean;
  /** Algorithm of the receipt the listener answered with, when there was one. */
  algorithm?: SignatureAlgorithm;
  /** Why the receipt is not valid. */
  reason?: string;
}

export interface PostOptions {
  secretKey: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
  dispatcher?: Dispatcher;
}

/**
 * POSTs an encoded notification and checks the read receipt as 2Checkout would. Whether a non-200
 * status with a valid tag counts is unconfirmed (docs/reference-notes.md#2co-receipt); we count only 200.
 */
export async function postNotification(url: string, body: string, options: PostOptions): Promise<PostResult> {
  const timeout = options.timeoutMs ?? 30_000;
  const res = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...options.headers },
    body,
    headersTimeout: timeout,
    bodyTimeout: timeout,
    ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
  });
  const text = await res.body.text();
  const form = parseForm(body);
  const kind = notificationKind(form);
  if (kind === 'unknown') {
    return {
      status: res.statusCode,
      body: text,
      receiptValid: false,
      reason: 'the sent body is neither an IPN nor an LCN',
    };
  }
  const receipt = verifyReceipt(text, kind, form, options.secretKey);
  if (!receipt.ok) {
    return {
      status: res.statusCode,
      body: text,
      receiptValid: false,
      algorithm: receipt.algorithm,
      reason: receipt.reason,
    };
  }
  if (res.statusCode !== 200) {
    return {
      status: res.statusCode,
      body: text,
      receiptValid: false,
      algorithm: receipt.algorithm,
      reason: `HTTP ${res.statusCode}, expected 200`,
    };
  }
  return { status: res.statusCode, body: text, receiptValid: true, algorithm: receipt.algorithm };
}

/** Builds, signs and posts one notification. */
export async function sendNotification(
  url: string,
  n: NotificationInput,
  options: PostOptions & { algorithms?: readonly SignatureAlgorithm[] },
): Promise<PostResult & { requestBody: string }> {
  const requestBody = signedBody(n, options.secretKey, options.algorithms);
  return { ...(await postNotification(url, requestBody, options)), requestBody };
}
