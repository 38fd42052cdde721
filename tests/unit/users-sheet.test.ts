// Text written into the users sheet can never become a formula: anything starting = + - @ (or tab/CR) gets a
// leading apostrophe, everything else is written as it is.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { neutralise } from '../../src/domain/users-sheet.js';

describe('neutralise', () => {
  it('prefixes formula-like text and leaves the rest alone', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const out = neutralise(s);
        if (/^[=+\-@\t\r]/.test(s)) expect(out).toBe(`'${s}`);
        else expect(out).toBe(s);
        expect(/^[=+\-@\t\r]/.test(out)).toBe(false);
      }),
    );
    expect(neutralise('=1+1')).toBe("'=1+1");
    expect(neutralise('网格员 王芳')).toBe('网格员 王芳');
  });
});
