// Which moves a case page offers as buttons comes from the lifecycle definition the server serves, not a hand-kept
// list: creating moves (made on the report form) and system moves never become buttons; every other allowed move does.
import { describe, expect, it } from 'vitest';
import { describeLifecycle } from '../../src/domain/lifecycle/engine.js';
import { CASE_LIFECYCLE, WORKFLOW } from '../../src/domain/cases/workflow.js';
import type { MoveName } from '../../src/shared/vocabulary.js';
import { buttonMoves } from '../../src/shared/api.js';

describe('buttonMoves', () => {
  const description = describeLifecycle(CASE_LIFECYCLE);
  const all = Object.keys(WORKFLOW) as MoveName[];

  it('leaves out the report-form and system moves of the case lifecycle', () => {
    const offered = buttonMoves(description, all);
    for (const m of ['report', 'fix_on_spot', 'follow_master'] as const) expect(offered).not.toContain(m);
    expect(offered).toEqual(all.filter((m) => !['report', 'fix_on_spot', 'follow_master'].includes(m)));
  });

  it('keeps only the allowed moves, in their order', () => {
    expect(buttonMoves(description, ['verify_fail', 'verify_pass', 'follow_master'])).toEqual(['verify_fail', 'verify_pass']);
  });

  it('offers nothing while the definition loads', () => {
    expect(buttonMoves(undefined, ['accept', 'reject'])).toEqual([]);
  });
});
