// Every audit action the server records has a label in both UI languages, so the audit log never shows a raw
// `auth.login` in the Chinese screen. Actions are found where the services write them (`action: '…'`); case moves
// (`case.${move}`) are named by the workflow's words.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditLogZhCN } from '../../web/src/i18n/audit-log.zh-CN.js';
import { auditLogEn } from '../../web/src/i18n/audit-log.en.js';
import { zhCN } from '../../web/src/i18n/zh-CN.js';
import { en } from '../../web/src/i18n/en.js';
import { MOVE_NAMES } from '../../src/shared/vocabulary.js';

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const SRC = path.resolve(import.meta.dirname, '..', '..', 'src');
const recorded = new Set<string>();
for (const file of tsFiles(SRC).filter((f) => !f.includes(`${path.sep}data${path.sep}repos${path.sep}`))) {
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!/\baction: /.test(line)) continue;
    for (const m of line.matchAll(/'([a-z_]+\.[a-z_]+)'/g)) recorded.add(m[1]!);
  }
}

describe('audit action labels', () => {
  it('finds the recorded actions', () => {
    expect(recorded.has('auth.login')).toBe(true);
    expect(recorded.has('calendar.import')).toBe(true);
  });
  for (const [lang, words, common] of [['zh-CN', auditLogZhCN, zhCN], ['en', auditLogEn, en]] as const) {
    it(`${lang}: every recorded action has a label, and every case move a name`, () => {
      expect([...recorded].filter((a) => !words.auditLog.actions[a])).toEqual([]);
      const moves = (common as unknown as { move: Record<string, string> }).move;
      expect(MOVE_NAMES.filter((m) => !moves[m])).toEqual([]);
    });
  }
});
