// Read receipts (docs/reference-notes.md#2co-receipt). 2Checkout counts a delivery as done only when
// the response body carries this tag with a hash it can recompute; anything else is retried for
// two days. The same functions let the sandbox sender check what a gateway answered.
import type { SignatureAlgorithm } from './signature.js';
import type { NotificationForm } from './form.js';
import { hexEquals, ipnSignature, lp } from './signature.js';

export type NotificationKindWithReceipt = 'ipn' | 'lcn';

/** `YmdHis` in UTC, e.g. `20240315124133`. */
export function receiptDate(now: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return (
    p(now.getUTCFullYear(), 4) +
    p(now.getUTCMonth() + 1) +
    p(now.getUTCDate()) +
    p(now.getUTCHours()) +
    p(now.getUTCMinutes()) +
    p(now.getUTCSeconds())
  );
}

/** IPN: first IPN_PID, first IPN_PNAME, IPN_DATE, exactly as received (missing → empty → `0`). */
export function ipnReceiptValues(form: NotificationForm): string[] {
  return [form.getAll('IPN_PID')[0] ?? '', form.getAll('IPN_PNAME')[0] ?? '', form.get('IPN_DATE') ?? ''];
}

/** LCN: LICENSE_CODE, EXPIRATION_DATE, exactly as received. */
export function lcnReceiptValues(form: NotificationForm): string[] {
  return [form.get('LICENSE_CODE') ?? '', form.get('EXPIRATION_DATE') ?? ''];
}

/** HMAC over `lp(v1) + … + lp(DATE)`. */
export function receiptHash(
  values: readonly string[],
  date: string,
  algorithm: SignatureAlgorithm,
  secretKey: string,
): string {
  return ipnSignature([...values, date].map(lp).join(''), secretKey, algorithm);
}

/** The markup for one algorithm: `<EPAYMENT>DATE|HASH</EPAYMENT>` or `<sig algo=… date=…>HASH</sig>`. */
export function receiptMarkup(algorithm: SignatureAlgorithm, date: string, hash: string): string {
  return algorithm === 'md5'
    ? `<EPAYMENT>${date}|${hash}</EPAYMENT>`
    : `<sig algo="${algorithm}" date="${date}">${hash}</sig>`;
}

export function ipnReceipt(
  form: NotificationForm,
  algorithm: SignatureAlgorithm,
  secretKey: string,
  now: Date,
): string {
  const date = receiptDate(now);
  return receiptMarkup(algorithm, date, receiptHash(ipnReceiptValues(form), date, algorithm, secretKey));
}

export function lcnReceipt(
  form: NotificationForm,
  algorithm: SignatureAlgorithm,
  secretKey: string,
  now: Date,
): string {
  const date = receiptDate(now);
  return receiptMarkup(algorithm, date, receiptHash(lcnReceiptValues(form), date, algorithm, secretKey));
}

export interface ParsedReceipt {
  algorithm: SignatureAlgorithm;
  /** `YmdHis` as printed by the listener. */
  date: string;
  hash: string;
}

const EPAYMENT = /<EPAYMENT>(\d{14})\|([0-9a-fA-F]+)<\/EPAYMENT>/;
const SIG = /<sig algo="(sha256|sha3-256)" date="(\d{14})">([0-9a-fA-F]+)<\/sig>/;

/** Finds the receipt tag anywhere in a response body (as 2Checkout does); undefined when absent. */
export function parseReceipt(body: string): ParsedReceipt | undefined {
  const sig = SIG.exec(body);
  if (sig) return { algorithm: sig[1] as SignatureAlgorithm, date: sig[2] as string, hash: sig[3] as string };
  const epayment = EPAYMENT.exec(body);
  if (epayment) return { algorithm: 'md5', date: epayment[1] as string, hash: epayment[2] as string };
  return undefined;
}

export type ReceiptVerification =
  | { ok: true; algorithm: SignatureAlgorithm; date: string }
  | { ok: false; reason: string; algorithm?: SignatureAlgorithm };

/**
 * Recomputes the receipt a listener returned for the notification `form`, as 2Checkout does.
 * Whether 2Checkout checks that DATE is fresh is unconfirmed, so freshness is not checked here.
 */
export function verifyReceipt(
  body: string,
  kind: NotificationKindWithReceipt,
  form: NotificationForm,
  secretKey: string,
): ReceiptVerification {
  const receipt = parseReceipt(body);
  if (!receipt) {
    return {
      ok: false,
      reason: 'no <EPAYMENT>DATE|HASH</EPAYMENT> or <sig algo="…" date="…">HASH</sig> tag in the response body',
    };
  }
  const values = kind === 'ipn' ? ipnReceiptValues(form) : lcnReceiptValues(form);
  const expected = receiptHash(values, receipt.date, receipt.algorithm, secretKey);
  if (!hexEquals(expected, receipt.hash)) {
    const fields = kind === 'ipn' ? 'IPN_PID[0], IPN_PNAME[0], IPN_DATE, DATE' : 'LICENSE_CODE, EXPIRATION_DATE, DATE';
    return {
      ok: false,
      algorithm: receipt.algorithm,
      reason: `the ${receipt.algorithm} receipt hash does not match HMAC(${fields})`,
    };
  }
  return { ok: true, algorithm: receipt.algorithm, date: receipt.date };
}
