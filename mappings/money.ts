// Exact money arithmetic in integer minor units (bigint). Binary floats never touch an amount:
// 2Checkout sends decimal strings, we parse them into minor units of the order currency, do all
// sums/allocations on bigints, and only format back to a decimal at the NetSuite boundary.
//
// Rounding rule (one for the whole codebase): HALF-UP, i.e. half away from zero ("commercial
// rounding", Java's ROUND_HALF_UP): 0.125 → 0.13, -0.125 → -0.13. It is what shoppers' receipts and
// most tax authorities use, and it is symmetric for refunds (negative amounts).

/** An amount in the smallest unit of its currency (cents, yen, fils). */
export type Minor = bigint;

/** ISO-4217 minor-unit exponents that differ from 2: the decimals 2Checkout's amounts carry. */
const ISO_EXPONENT_EXCEPTIONS: Readonly<Record<string, number>> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

/**
 * Number of decimals of a currency's amounts as 2Checkout sends them: ISO-4217 (KWD 3, JPY 0), else
 * 2. The second argument is kept for callers that know better (e.g. a configured precision).
 */
export function currencyExponent(code: string, known?: number): number {
  if (known !== undefined) return known;
  return ISO_EXPONENT_EXCEPTIONS[code.toUpperCase()] ?? 2;
}

/**
 * Number of decimals NetSuite keeps for a currency. NetSuite supports only 0 and 2 ("Currency
 * Decimal Precision", Oracle Help Center; docs/reference-notes.md#ns-record-shapes): the configured
 * `currencies.<ISO>.precision` when given, else 0 for the ISO zero-decimal currencies and 2 for all
 * others — the three-decimal dinars included.
 */
export function netsuiteExponent(code: string, configured?: number): number {
  if (configured !== undefined) return configured;
  return currencyExponent(code) === 0 ? 0 : 2;
}

/** An amount in minor units of one exponent, in another (half away from zero when it loses digits). */
export function changeExponent(value: Minor, from: number, to: number): Minor {
  return shiftDownHalfUp(value, from - to);
}

/** A decimal number held exactly: value = units / 10^scale. */
export interface ScaledDecimal {
  units: bigint;
  scale: number;
}

const DECIMAL_RE = /^([+-])?(\d*)(?:\.(\d*))?$/;

export class MoneyFormatError extends Error {
  override readonly name = 'MoneyFormatError';
}

/** Parses "19.99", "-5", "0.125", "+3.0" exactly. Rejects exponents, commas and empty strings. */
export function parseDecimal(text: string): ScaledDecimal {
  const m = DECIMAL_RE.exec(text.trim());
  if (!m || (!m[2] && !m[3])) throw new MoneyFormatError(`not a decimal number: ${JSON.stringify(text)}`);
  const frac = m[3] ?? '';
  const units = BigInt(`${m[2] || '0'}${frac}`);
  return { units: m[1] === '-' ? -units : units, scale: frac.length };
}

/** Divides by 10^drop, rounding half away from zero. */
function shiftDownHalfUp(value: bigint, drop: number): bigint {
  if (drop <= 0) return value * 10n ** BigInt(-drop);
  const div = 10n ** BigInt(drop);
  const neg = value < 0n;
  const abs = neg ? -value : value;
  let q = abs / div;
  if ((abs % div) * 2n >= div) q += 1n;
  return neg ? -q : q;
}

/** Rescales an exact decimal to `exponent` decimals (half-up when it has more). */
export function rescale(d: ScaledDecimal, exponent: number): bigint {
  return shiftDownHalfUp(d.units, d.scale - exponent);
}

/** "19.99" → 1999n at exponent 2; "1500" → 1500n at exponent 0; rounds half-up beyond the exponent. */
export function toMinor(amount: string, exponent: number): Minor {
  return rescale(parseDecimal(amount), exponent);
}

/** True when `amount` has no more decimals than the currency allows (nothing would be rounded away). */
export function isExactInCurrency(amount: string, exponent: number): boolean {
  const d = parseDecimal(amount);
  return d.scale <= exponent || d.units % 10n ** BigInt(d.scale - exponent) === 0n;
}

/** 1999n, 2 → "19.99"; -5n, 2 → "-0.05"; 1500n, 0 → "1500". */
export function formatMinor(value: Minor, exponent: number): string {
  const neg = value < 0n;
  const digits = (neg ? -value : value).toString().padStart(exponent + 1, '0');
  const int = exponent === 0 ? digits : digits.slice(0, -exponent);
  const frac = exponent === 0 ? '' : `.${digits.slice(-exponent)}`;
  return `${neg ? '-' : ''}${int}${frac}`;
}

/**
 * The JSON number NetSuite's record endpoints expect for an amount. Going through the exact
 * decimal string means the number printed into the request body is exactly that decimal
 * (`JSON.stringify(19.99)` is "19.99").
 */
export function minorToNumber(value: Minor, exponent: number): number {
  return Number(formatMinor(value, exponent));
}

/** amount × factor, where factor is a decimal string (quantity, exchange rate), rounded half-up to `targetExponent`. */
export function multiply(amount: Minor, amountExponent: number, factor: string, targetExponent: number): Minor {
  const f = parseDecimal(factor);
  return shiftDownHalfUp(amount * f.units, amountExponent + f.scale - targetExponent);
}

/** a / b as a decimal string with at most `maxDecimals` decimals (half-up), trailing zeros removed. */
export function divideToDecimal(numerator: Minor, exponent: number, divisor: string, maxDecimals = 8): string {
  const d = parseDecimal(divisor);
  if (d.units === 0n) throw new MoneyFormatError('division by zero');
  // numerator/10^exp ÷ (d.units/10^d.scale) = numerator·10^d.scale / (d.units·10^exp)
  const num = numerator * 10n ** BigInt(d.scale + maxDecimals);
  const den = d.units * 10n ** BigInt(exponent);
  const neg = num < 0n !== den < 0n;
  const an = num < 0n ? -num : num;
  const ad = den < 0n ? -den : den;
  let q = an / ad;
  if ((an % ad) * 2n >= ad) q += 1n;
  const text = formatMinor(neg ? -q : q, maxDecimals);
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

export function sum(values: readonly Minor[]): Minor {
  return values.reduce((a, b) => a + b, 0n);
}

export function abs(value: Minor): Minor {
  return value < 0n ? -value : value;
}

/**
 * Splits `total` across parts in proportion to `weights` so the parts add up to `total` exactly
 * (largest-remainder / Hamilton method). Each part first gets the floor of its exact share; the
 * minor units left over go one each to the parts with the largest remainders, ties to the earlier
 * part, so the result is deterministic. Works for negative totals (allocated by magnitude).
 * Weights must be ≥ 0 with a positive sum.
 */
export function allocate(total: Minor, weights: readonly Minor[]): Minor[] {
  if (weights.length === 0) throw new MoneyFormatError('cannot allocate across zero parts');
  if (weights.some((w) => w < 0n)) throw new MoneyFormatError('allocation weights must not be negative');
  const weightSum = sum(weights);
  if (weightSum === 0n) throw new MoneyFormatError('allocation weights add up to zero');
  const neg = total < 0n;
  const t = neg ? -total : total;
  const parts = weights.map((w) => (t * w) / weightSum);
  const remainders = weights.map((w, i) => ({ i, r: (t * w) % weightSum }));
  let left = t - sum(parts);
  remainders.sort((a, b) => (b.r > a.r ? 1 : b.r < a.r ? -1 : a.i - b.i));
  for (const { i } of remainders) {
    if (left === 0n) break;
    parts[i]! += 1n;
    left -= 1n;
  }
  return neg ? parts.map((p) => -p) : parts;
}
