import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, openTestPlatform, type TestPlatform } from '../support/platform.js';

let p: TestPlatform;
beforeAll(async () => {
  p = await openTestPlatform();
});
afterAll(async () => p?.close());

describe('health', () => {
  it('answers ok with the database kind', async () => {
    const res = await p.app.inject({ url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('ok');
  });
  it('serves the OpenAPI document', async () => {
    const res = await p.app.inject({ url: '/api/openapi.json' });
    expect(res.json().paths['/api/cases/{id}/moves/{move}']).toBeDefined();
  });
  it('logs in a demo user', async () => {
    const c = await login(p.app, 'operator');
    const res = await c.get('/api/auth/session');
    expect(res.json().user.role).toBe('operator');
  });
});
