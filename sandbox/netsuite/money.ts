// Money arithmetic in integer minor units. NetSuite rounds every amount to the currency's
// precision (JPY 0, USD 2, KWD 3 decimals); doing the sums in floats would drift by a cent
// (1.005 * 100 = 100.49999…), so amounts become exact decimals first, then integers.

/** An exact decimal: `units / 10^scale`. */
interface Decimal {
  units: bigint;
  scale: number;
}

/** Parses a JSON number exactly as it was written (its shortest decimal form). */
function toDecimal(value: number): Decimal {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  // String(1e-7) is "1e-7": expand exponent notation into plain digits first.
  let text = String(value);
  if (/e/i.test(text)) text = value.toFixed(20).replace(/0+$/, '').replace(/\.$/, '');
  const negative = text.startsWith('-');
  const [intPart = '0', fracPart = ''] = text.replace('-', '').split('.');
  const units = BigInt(intPart + fracPart) * (negative ? -1n : 1n);
  return { units, scale: fracPart.length };
}

/** Rounds half away from zero (NetSuite's commercial rounding) to `scale` decimals. */
function rescale(d: Decimal, scale: number): bigint {
  if (d.scale <= scale) return d.units * 10n ** BigInt(scale - d.scale);
  const divisor = 10n ** BigInt(d.scale - scale);
  const negative = d.units < 0n;
  const abs = negative ? -d.units : d.units;
  let q = abs / divisor;
  if ((abs % divisor) * 2n >= divisor) q += 1n;
  return negative ? -q : q;
}

/** An amount in the currency's minor units (cents, yen, fils). */
export type Minor = bigint;

export function toMinor(value: number, precision: number): Minor {
  return rescale(toDecimal(value), precision);
}

export function fromMinor(minor: Minor, precision: number): number {
  if (precision === 0) return Number(minor);
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(precision + 1, '0');
  return Number(`${negative ? '-' : ''}${digits.slice(0, -precision)}.${digits.slice(-precision)}`);
}

/** rate × quantity, rounded once to the currency precision (a line's amount). */
export function multiplyToMinor(rate: number, quantity: number, precision: number): Minor {
  const a = toDecimal(rate);
  const b = toDecimal(quantity);
  return rescale({ units: a.units * b.units, scale: a.scale + b.scale }, precision);
}

/** amount / quantity as a plain number (a line's rate when only the amount was given). */
export function divide(amount: number, quantity: number): number {
  return quantity === 0 ? amount : Number((amount / quantity).toPrecision(15));
}

export function sumMinor(values: Iterable<Minor>): Minor {
  let total = 0n;
  for (const v of values) total += v;
  return total;
}

export const minMinor = (a: Minor, b: Minor): Minor => (a < b ? a : b);
