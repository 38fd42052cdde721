// Every error code the domain can raise has a message a person can act on, in Chinese and in English.
// The codes are read from the DomainErrorCode union in src/domain/errors.ts itself (with the TypeScript
// compiler), so a new code without messages fails here without anyone updating a list.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { message, NOTICE_MESSAGES, pickLang } from '../../src/shared/messages.js';

function unionMembers(file: string, typeName: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const alias = source.statements.find((s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === typeName);
  if (!alias) throw new Error(`${typeName} not found in ${file}`);
  const types = ts.isUnionTypeNode(alias.type) ? alias.type.types : [alias.type];
  return types.map((t) => {
    if (!ts.isLiteralTypeNode(t) || !ts.isStringLiteral(t.literal)) throw new Error(`${typeName} member is not a string literal: ${t.getText()}`);
    return t.literal.text;
  });
}

const ERRORS_TS = path.resolve(import.meta.dirname, '../../src/domain/errors.ts');
const DOMAIN_CODES = unionMembers(ERRORS_TS, 'DomainErrorCode');
// Codes the HTTP layer adds on top of the domain's (src/server/errors.ts).
const HTTP_CODES = ['validation_failed', 'rate_limited', 'internal'];

const HAN = /\p{Script=Han}/u;

describe('message catalogue', () => {
  it('reads the domain error codes from errors.ts', () => {
    expect(DOMAIN_CODES.length).toBeGreaterThan(20);
    expect(DOMAIN_CODES).toContain('move_not_allowed_in_state');
    expect(new Set(DOMAIN_CODES).size).toBe(DOMAIN_CODES.length);
  });

  it.each([...DOMAIN_CODES, ...HTTP_CODES])('%s has a Chinese and an English message', (code) => {
    const zh = message(code, {}, 'zh-CN');
    const en = message(code, {}, 'en');
    expect(zh).not.toBe(code);
    expect(en).not.toBe(code);
    expect(zh).toMatch(HAN);
    expect(en).not.toMatch(HAN);
    expect(zh).not.toBe(en);
    // every placeholder is a template slot, never left in the text
    expect(zh).not.toMatch(/\{\w+\}/);
    expect(en).not.toMatch(/\{\w+\}/);
  });

  it.each(Object.keys(NOTICE_MESSAGES))('notice %s reads in Chinese and in English, its parameters filled', (code) => {
    const params = { number: '20261203000042', rating: 2, level: 1, count: 3, source: '10.0.0.9', failures: 5, minutes: 15 };
    const zh = message(code, params, 'zh-CN');
    const en = message(code, params, 'en');
    expect(zh).toMatch(HAN);
    expect(en).not.toMatch(HAN);
    expect(zh).not.toMatch(/\{\w+\}/);
    expect(en).not.toMatch(/\{\w+\}/);
  });

  it('falls back to the raw code for an unknown code (which is how a missing message shows)', () => {
    expect(message('no_such_code', {}, 'zh-CN')).toBe('no_such_code');
  });

  it('fills parameters and names states, moves and roles in the reader’s language', () => {
    expect(message('move_not_allowed_in_state', { move: 'dispatch', state: 'closed' }, 'zh-CN')).toBe(
      '案件当前状态为“已结案”，不能执行“派遣”。请刷新页面查看最新状态。',
    );
    expect(message('move_not_allowed_in_state', { move: 'verify_pass', state: 'in_progress' }, 'en')).toContain('in progress');
    expect(message('move_forbidden_for_role', { move: 'accept', role: 'grid_worker' }, 'zh-CN')).toBe('网格员不能执行“受理”操作。');
    expect(message('move_forbidden_for_role', { move: 'accept', role: 'leader' }, 'en')).toBe('A leader may not accept a case.');
    expect(message('move_not_allowed_in_state', { move: 'accept', state: 'none' }, 'zh-CN')).toContain('未上报');
    expect(message('login_throttled', { minutes: 15 }, 'zh-CN')).toContain('15 分钟');
    expect(message('photo_too_large', { limitMb: 10 }, 'en')).toContain('10 MB');
  });

  it('names every state and move in Chinese rather than by its code', () => {
    for (const state of ['reported', 'accepted', 'rejected', 'dispatched', 'in_progress', 'handled', 'verified', 'closed'])
      expect(message('move_not_allowed_in_state', { move: 'accept', state }, 'zh-CN')).not.toContain(state);
    for (const move of ['report', 'accept', 'reject', 'dispatch', 'sign', 'handle', 'verify_pass', 'verify_fail', 'close'])
      expect(message('move_needs_note', { move }, 'zh-CN')).not.toContain(move);
  });
});

describe('pickLang', () => {
  it.each([
    [undefined, undefined, 'zh-CN'],
    ['', undefined, 'zh-CN'],
    ['zh-CN,zh;q=0.9,en;q=0.8', undefined, 'zh-CN'],
    ['en', undefined, 'en'],
    ['en-US,en;q=0.9', undefined, 'en'],
    ['EN-gb', undefined, 'en'],
    ['  en', undefined, 'en'],
    ['fr-FR,fr;q=0.9', undefined, 'zh-CN'],
    ['english', undefined, 'zh-CN'],
    ['en-US', 'zh-CN', 'zh-CN'],
    ['zh-CN', 'en', 'en'],
    ['en', 'de', 'en'],
    [undefined, 'fr', 'zh-CN'],
  ] as const)('Accept-Language %j, cookie %j → %s', (header, cookie, lang) => {
    expect(pickLang(header, cookie)).toBe(lang);
  });
});
