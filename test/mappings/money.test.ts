import { describe, expect, it } from 'vitest';
import {
  allocate,
  currencyExponent,
  divideToDecimal,
  formatMinor,
  isExactInCurrency,
  minorToNumber,
  multiply,
  parseDecimal,
  toMinor,
} from '../../mappings/money.js';

describe('money in minor units', () => {
  it('parses decimal strings exactly and formats them back', () => {
    expect(toMinor('19.99', 2)).toBe(1999n);
    expect(toMinor('-5', 2)).toBe(-500n);
    expect(toMinor('1500', 0)).toBe(1500n);
    expect(toMinor('1.234', 3)).toBe(1234n);
    expect(formatMinor(1999n, 2)).toBe('19.99');
    expect(formatMinor(-5n, 2)).toBe('-0.05');
    expect(formatMinor(1500n, 0)).toBe('1500');
    expect(formatMinor(7n, 3)).toBe('0.007');
    // 0.1 + 0.2 in floats is 0.30000000000000004; in minor units it is 30.
    expect(formatMinor(toMinor('0.1', 2) + toMinor('0.2', 2), 2)).toBe('0.30');
  });

  it('rounds half away from zero, symmetrically for refunds', () => {
    expect(toMinor('0.125', 2)).toBe(13n);
    expect(toMinor('-0.125', 2)).toBe(-13n);
    expect(toMinor('0.1249', 2)).toBe(12n);
    expect(toMinor('2.5', 0)).toBe(3n);
  });

  it('rejects text that is not a plain decimal', () => {
    for (const bad of ['', '1e3', '1,50', 'abc', '.', '--1']) expect(() => parseDecimal(bad)).toThrow(/not a decimal/);
  });

  it('knows currency exponents, preferring NetSuite precision', () => {
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('KWD')).toBe(3);
    expect(currencyExponent('EUR')).toBe(2);
    expect(currencyExponent('EUR', 3)).toBe(3);
    expect(isExactInCurrency('1500.5', 0)).toBe(false);
    expect(isExactInCurrency('1.230', 2)).toBe(true);
  });

  it('multiplies by quantities and rates with one rounding at the end', () => {
    expect(multiply(toMinor('49.99', 2), 2, '3', 2)).toBe(14997n);
    expect(multiply(10000n, 2, '1.0843', 2)).toBe(10843n); // 100.00 EUR × 1.0843 = 108.43 USD
    expect(multiply(333n, 2, '0.5', 2)).toBe(167n); // 1.665 → 1.67
    expect(divideToDecimal(1000n, 2, '3')).toBe('3.33333333');
    expect(minorToNumber(1999n, 2)).toBe(19.99);
  });

  it('allocates a total pro rata so the parts add up exactly (largest remainder)', () => {
    const parts = allocate(10000n, [1n, 1n, 1n]);
    expect(parts).toEqual([3334n, 3333n, 3333n]);
    expect(allocate(-100n, [50n, 25n, 25n])).toEqual([-50n, -25n, -25n]);
    expect(allocate(5n, [0n, 3n, 1n])).toEqual([0n, 4n, 1n]);
    const weights = [1999n, 4950n, 12000n, 7n];
    for (const total of [1n, 99n, 12345n, 18956n]) {
      const out = allocate(total, weights);
      expect(out.reduce((a, b) => a + b, 0n)).toBe(total);
    }
    expect(() => allocate(1n, [0n, 0n])).toThrow(/zero/);
  });
});
