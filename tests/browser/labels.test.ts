// Every word of the shared vocabulary (states, moves, roles, sources, urgencies, warning levels) has a label in
// both UI languages, so a new move or state on the server never shows up as a raw key in the web app.
import { describe, expect, it } from 'vitest';
import { CASE_SOURCES, CASE_STATES, MOVE_NAMES, ROLES, URGENCIES, WARNING_LEVELS } from '../../src/shared/vocabulary.js';
import { zhCN } from '../../web/src/i18n/zh-CN.js';
import { en } from '../../web/src/i18n/en.js';

const sections = {
  state: CASE_STATES,
  move: MOVE_NAMES,
  role: ROLES,
  source: CASE_SOURCES,
  urgency: URGENCIES,
  warning: WARNING_LEVELS,
} as const;

describe('web UI labels', () => {
  for (const [lang, messages] of Object.entries({ 'zh-CN': zhCN, en })) {
    for (const [section, words] of Object.entries(sections)) {
      it(`${lang}: every ${section} has a label`, () => {
        const table = (messages as unknown as Record<string, Record<string, string>>)[section] ?? {};
        const missing = words.filter((w) => !table[String(w)]);
        expect(missing).toEqual([]);
      });
    }
  }
});
