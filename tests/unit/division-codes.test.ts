// Division codes: a child's code extends its parent's with digits of its own; lengths by level (GB/T 2260 + 统计用区划代码).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { divisionCodeProblem } from '../../src/domain/division-codes.js';

const district = { code: '370871', level: 'district' as const };
const street = { code: '370871005', level: 'street' as const };

describe('division codes', () => {
  it('accepts a district, a street under it, a community and a village under the street', () => {
    expect(divisionCodeProblem('district', '370871', null)).toBeNull();
    expect(divisionCodeProblem('street', '370871005', district)).toBeNull();
    expect(divisionCodeProblem('community', '370871005001', street)).toBeNull();
    expect(divisionCodeProblem('village', '370871005201', street)).toBeNull();
  });

  it('refuses wrong lengths, province or city codes as districts, all-zero suffixes and the wrong parent level', () => {
    expect(divisionCodeProblem('district', '370800', null)?.code).toBe('division_code_invalid');
    expect(divisionCodeProblem('street', '37087100', district)?.code).toBe('division_code_invalid');
    expect(divisionCodeProblem('street', '370871000', district)?.code).toBe('division_code_not_extending');
    expect(divisionCodeProblem('community', '370871005001', district)?.code).toBe('division_parent_invalid');
    expect(divisionCodeProblem('street', '370871005', null)?.code).toBe('division_parent_invalid');
  });

  it('a street code is accepted exactly when it is the district code plus three digits, not all zero', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{9}$/), (code) => {
        const ok = divisionCodeProblem('street', code, district) === null;
        expect(ok).toBe(code.startsWith('370871') && code.slice(6) !== '000');
      }),
    );
  });
});
