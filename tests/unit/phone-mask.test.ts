// The one phone masking rule: never more than the first 3 and last 4 digits, and at least 4 hidden, at any length.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskPhone } from '../../src/domain/phone-mask.js';

describe('maskPhone', () => {
  it('keeps the usual 138****1234 for mobile numbers', () => {
    expect(maskPhone('13812341234')).toBe('138****1234');
    expect(maskPhone('0537-2345678')).toBe('053****5678');
  });
  it('hides most of a short number (the finding: 2345678 showed every digit)', () => {
    expect(maskPhone('2345678')).toBe('2****78');
    expect(maskPhone('12345')).toBe('****5');
    expect(maskPhone('1234')).toBe('****');
    expect(maskPhone(null)).toBe(null);
  });
  it('at any length: at most 3 + 4 digits shown, at least 4 hidden, the shown ones are the ends of the number', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789- +'.split('')), minLength: 1, maxLength: 40 }), (phone) => {
        const digits = phone.replace(/\D/g, '');
        const masked = maskPhone(phone);
        const [head, tail] = masked.split('****') as [string, string];
        expect(head.length).toBeLessThanOrEqual(3);
        expect(tail.length).toBeLessThanOrEqual(4);
        expect(digits.length - head.length - tail.length).toBeGreaterThanOrEqual(Math.min(4, digits.length));
        expect(digits.startsWith(head) && digits.endsWith(tail)).toBe(true);
      }),
    );
  });
});
