// Division codes after GB/T 2260 and the statistical division codes: a district has 6 digits, a street (街道/镇)
// 9, a community (社区) or village (村) 12; a child's code extends its parent's. Pure rules, no I/O.

export type DivisionLevel = 'district' | 'street' | 'community' | 'village';

export const CODE_DIGITS: Record<DivisionLevel, number> = { district: 6, street: 9, community: 12, village: 12 };

/** The level a division of each level must sit under (a district sits at the top). */
export const PARENT_LEVEL: Record<DivisionLevel, DivisionLevel | null> = {
  district: null,
  street: 'district',
  community: 'street',
  village: 'street',
};

export type DivisionCodeProblem =
  | { code: 'division_code_invalid'; params: { code: string; digits: number } }
  | { code: 'division_code_not_extending'; params: { code: string; parent: string } }
  | { code: 'division_parent_invalid'; params: { level: string; parentLevel: string } };

/** Why a code cannot name a division of this level under this parent; null when it can. */
export function divisionCodeProblem(
  level: DivisionLevel,
  code: string,
  parent: { code: string; level: DivisionLevel } | null,
): DivisionCodeProblem | null {
  const digits = CODE_DIGITS[level];
  const wanted = PARENT_LEVEL[level];
  if ((parent?.level ?? null) !== wanted) {
    return { code: 'division_parent_invalid', params: { level, parentLevel: wanted ?? '-' } };
  }
  if (!new RegExp(`^\\d{${digits}}$`).test(code)) return { code: 'division_code_invalid', params: { code, digits } };
  if (parent) {
    // The part a child adds may not be all zeros: 370871000 would name the district itself.
    if (!code.startsWith(parent.code) || /^0+$/.test(code.slice(parent.code.length))) {
      return { code: 'division_code_not_extending', params: { code, parent: parent.code } };
    }
  } else if (/00$/.test(code)) {
    // 370000 is a province and 370800 a city, not a district.
    return { code: 'division_code_invalid', params: { code, digits } };
  }
  return null;
}
