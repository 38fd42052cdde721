// The bell: a dispatch tells the department's handler ('new_task'); GET /api/notifications lists it with the
// unread count; POST /api/notifications/read marks read (by ids, or all, only one's own); the live stream
// /api/notifications/stream (SSE, over a real socket with the session cookie) sends the unread count at once
// and again whenever a notice for this user is written — and not for other users' notices.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDetail } from '../../src/shared/api.js';
import { DEMO_PASSWORD } from '../../src/seed/demo-street.js';
import { invalidateCalendarCache, loadCalendar } from '../../src/services/calendar/calendar.js';
import { inDays, moveOk, ok, openWorld, refused, signIn, walkTo, type RawClient, type World } from '../support/factories.js';

let w: World;
let cgRaw: RawClient; // 城管's handler, with its cookie for the socket
let base: string;

beforeAll(async () => {
  w = await openWorld(['operator', 'chengguan', 'huanbao', 'gridworker']);
  // Dispatches on the real clock late in a year compute clocks into the next one: make it known (its New Year's
  // Day is always a holiday), as an administrator would import the State Council's schedule.
  const next = new Date().getUTCFullYear() + 1;
  if (!(await loadCalendar(w.p.db)).knownYears().includes(next)) {
    await w.p.db.insertInto('calendar_days').values({ day: `${next}-01-01`, kind: 'holiday', note: '元旦', updated_by: null, updated_at: new Date() }).execute();
    invalidateCalendarCache();
  }
  cgRaw = await signIn(w.p.app, 'chengguan', DEMO_PASSWORD, { ip: '10.7.7.7' });
  await w.p.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(w.p.app.server.address() as AddressInfo).port}`;
});
afterAll(async () => w?.p.close());

interface Bell {
  unread: number;
  items: { id: number; kind: string; caseId: number | null; caseNumber: string | null; title: string; body: string; createdAt: string; read: boolean }[];
}
const bell = async (who: string, q = ''): Promise<Bell> => ok(await w.u[who]!.get(`/api/notifications${q}`)) as Bell;

async function dispatchTo(c: CaseDetail, code: string): Promise<CaseDetail> {
  return moveOk(w.u.operator!, c, 'dispatch', { departmentId: w.departments.get(code), deadline: inDays(3) });
}

describe('the notification list', () => {
  it('a dispatch gives the department handler a new_task notice; the list shows it with the unread count', async () => {
    const start = await bell('chengguan');
    expect(start).toEqual({ unread: 0, items: [] });
    const c = await dispatchTo(await walkTo(w, 'accepted'), 'CG');

    const b = await bell('chengguan');
    expect(b.unread).toBe(1);
    expect(b.items).toHaveLength(1);
    expect(b.items[0]).toMatchObject({ kind: 'new_task', caseId: c.id, caseNumber: c.number, read: false });
    expect(b.items[0]!.title).toContain(c.number);
    expect(Math.abs(Date.parse(b.items[0]!.createdAt) - Date.now())).toBeLessThan(60_000);
    // another department is not told; the operator who dispatched is not told of the own move
    expect((await bell('huanbao')).unread).toBe(0);
    const ops = await bell('operator');
    expect(ops.items.filter((n) => n.caseId === c.id).map((n) => n.kind)).toEqual(['new_task']); // the report's notice only

    // one outbox row per notice, for the external channels
    const outbox = await w.p.db.selectFrom('outbox').select(['channel', 'payload', 'sent_at']).where('notification_id', '=', b.items[0]!.id).execute();
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ channel: 'external', sent_at: null, payload: { kind: 'new_task', caseId: c.id, title: b.items[0]!.title } });
  });

  it('newest first, limited by ?limit, with the count of all unread', async () => {
    const c1 = await dispatchTo(await walkTo(w, 'accepted'), 'CG');
    const c2 = await dispatchTo(await walkTo(w, 'accepted'), 'CG');
    const all = await bell('chengguan');
    expect(all.items.slice(0, 2).map((n) => n.caseId)).toEqual([c2.id, c1.id]);
    const ids = all.items.map((n) => n.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const one = await bell('chengguan', '?limit=1');
    expect(one.items).toHaveLength(1);
    expect(one.unread).toBe(all.unread);
    expect(all.unread).toBe(all.items.filter((n) => !n.read).length);
    refused(await w.u.chengguan!.get('/api/notifications?limit=0'), 400, 'validation_failed');
  });

  it('POST /api/notifications/read marks read by ids (only one’s own) or all', async () => {
    const before = await bell('chengguan');
    expect(before.unread).toBeGreaterThanOrEqual(3);
    const [first, second] = before.items;
    expect(ok(await w.u.chengguan!.post('/api/notifications/read', { ids: [first!.id] }))).toEqual({ updated: 1, unread: before.unread - 1 });
    // again: nothing to update
    expect(ok(await w.u.chengguan!.post('/api/notifications/read', { ids: [first!.id] }))).toEqual({ updated: 0, unread: before.unread - 1 });
    const after = await bell('chengguan');
    expect(after.items.find((n) => n.id === first!.id)!.read).toBe(true);
    expect(after.items.find((n) => n.id === second!.id)!.read).toBe(false);
    expect(after.unread).toBe(before.unread - 1);

    // someone else's notice cannot be marked
    const theirs = (await bell('operator')).items.find((n) => !n.read)!;
    expect(ok(await w.u.chengguan!.post('/api/notifications/read', { ids: [theirs.id] }))).toMatchObject({ updated: 0 });
    expect((await bell('operator')).items.find((n) => n.id === theirs.id)!.read).toBe(false);

    expect(ok(await w.u.chengguan!.post('/api/notifications/read', { ids: [] }))).toEqual({ updated: 0, unread: before.unread - 1 });
    refused(await w.u.chengguan!.post('/api/notifications/read', { ids: 'some' }), 400, 'validation_failed');
    expect(ok(await w.u.chengguan!.post('/api/notifications/read', { ids: 'all' }))).toEqual({ updated: before.unread - 1, unread: 0 });
    expect((await bell('chengguan')).items.every((n) => n.read)).toBe(true);
  });

  it('needs a session, and the CSRF token to mark read', async () => {
    const anon = await w.p.app.inject({ method: 'GET', url: '/api/notifications' });
    expect(anon.statusCode).toBe(401);
    const noToken = await w.p.app.inject({ method: 'POST', url: '/api/notifications/read', headers: { cookie: cgRaw.cookie }, payload: { ids: 'all' } });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().error.code).toBe('csrf_failed');
    const stream = await fetch(`${base}/api/notifications/stream`);
    expect(stream.status).toBe(401);
    await stream.body?.cancel();
  });
});

/** Reads server-sent events from a fetch body, one `event:` block at a time. */
function sseReader(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    async next(timeoutMs = 10_000): Promise<{ event: string; data: unknown }> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = block.split('\n').filter((l) => !l.startsWith(':'));
          if (!lines.length) continue; // a keep-alive comment
          const event = lines.find((l) => l.startsWith('event: '))?.slice(7) ?? 'message';
          const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
          return { event, data: JSON.parse(data) };
        }
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no server-sent event within ${timeoutMs} ms (buffer: ${JSON.stringify(buffer)})`);
        let timer: NodeJS.Timeout | undefined;
        const chunk = await Promise.race([
          reader.read(),
          new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no server-sent event within ${timeoutMs} ms`)), left))),
        ]).finally(() => clearTimeout(timer));
        if (chunk.done) throw new Error('the stream ended');
        buffer += decoder.decode(chunk.value, { stream: true });
      }
    },
    cancel: () => reader.cancel(),
  };
}

describe('the live stream (SSE)', () => {
  it('sends the unread count at once, and again on each notice for this user only', async () => {
    const unreadNow = (await bell('chengguan')).unread;
    const ac = new AbortController();
    const res = await fetch(`${base}/api/notifications/stream`, { headers: { cookie: cgRaw.cookie }, signal: ac.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const sse = sseReader(res.body!);
    try {
      expect(await sse.next()).toEqual({ event: 'unread', data: { unread: unreadNow } });

      // a new dispatch to 城管: the stream says so without being asked
      await dispatchTo(await walkTo(w, 'accepted'), 'CG');
      expect(await sse.next()).toEqual({ event: 'unread', data: { unread: unreadNow + 1 } });

      // a notice for another department sends nothing here: the next event is the one for the next 城管 notice
      await dispatchTo(await walkTo(w, 'accepted'), 'HB');
      expect((await bell('huanbao')).unread).toBeGreaterThan(0);
      const c = await dispatchTo(await walkTo(w, 'accepted'), 'CG');
      expect(await sse.next()).toEqual({ event: 'unread', data: { unread: unreadNow + 2 } });

      // a supervision by the leader is a notice too; reading all and being told again counts from zero
      expect(ok(await w.u.chengguan!.post('/api/notifications/read', { ids: 'all' })).unread).toBe(0);
      const leader = await signIn(w.p.app, 'leader', DEMO_PASSWORD, { ip: '10.7.7.8' });
      ok(await leader.post(`/api/cases/${c.id}/moves/supervise`, { version: c.version, note: '请加快办理' }));
      expect(await sse.next()).toEqual({ event: 'unread', data: { unread: 1 } });
      expect((await bell('chengguan')).items[0]).toMatchObject({ kind: 'supervised', caseId: c.id, read: false });
    } finally {
      await sse.cancel().catch(() => {});
      ac.abort();
    }
  });

  it('two streams of the same user both update; a closed stream is let go', async () => {
    const open = async () => {
      const res = await fetch(`${base}/api/notifications/stream`, { headers: { cookie: cgRaw.cookie } });
      const sse = sseReader(res.body!);
      return { sse, first: await sse.next() };
    };
    const a = await open();
    const b = await open();
    expect(a.first).toEqual(b.first);
    const n = (a.first.data as { unread: number }).unread;
    await a.sse.cancel();
    await dispatchTo(await walkTo(w, 'accepted'), 'CG');
    expect(await b.sse.next()).toEqual({ event: 'unread', data: { unread: n + 1 } });
    await b.sse.cancel();
    // the server is still well after a client went away mid-stream
    expect((await bell('chengguan')).unread).toBe(n + 1);
  });
});

describe('the language of a notice', () => {
  it('a title is stored as a code and read in the reader’s language; a notice written as text reads as written', async () => {
    const c = await dispatchTo(await walkTo(w, 'accepted'), 'CG');
    const mine = (b: Bell) => b.items.find((n) => n.caseId === c.id && n.kind === 'new_task')!;
    expect(mine(await bell('chengguan')).title).toBe(`新工单 ${c.number}`);
    const en = JSON.parse((await w.p.app.inject({ method: 'GET', url: '/api/notifications', headers: { cookie: w.u.chengguan!.cookie, 'accept-language': 'en' } })).body) as Bell;
    expect(mine(en).title).toBe(`New work order ${c.number}`);
    const byCookie = JSON.parse((await w.p.app.inject({ method: 'GET', url: '/api/notifications', headers: { cookie: `${w.u.chengguan!.cookie}; lang=en`, 'accept-language': 'zh-CN' } })).body) as Bell;
    expect(mine(byCookie).title).toBe(`New work order ${c.number}`);
    // stored without text in any language: the code and its parameters
    const row = await w.p.db.selectFrom('notifications').select(['title', 'title_code', 'title_params']).where('id', '=', mine(en).id).executeTakeFirstOrThrow();
    expect(row).toEqual({ title: null, title_code: 'notice_new_task', title_params: { number: c.number } });
    // a row from before titles were codes keeps its text, in every language
    const userId = (await w.p.db.selectFrom('users').select('id').where('username', '=', 'chengguan').executeTakeFirstOrThrow()).id;
    const legacy = await w.p.db
      .insertInto('notifications')
      .values({ user_id: userId, kind: 'new_task', case_id: c.id, title: `新工单 ${c.number}（旧）`, body: '旧通知', dedupe_key: null, created_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow();
    const enAgain = JSON.parse((await w.p.app.inject({ method: 'GET', url: '/api/notifications', headers: { cookie: w.u.chengguan!.cookie, 'accept-language': 'en' } })).body) as Bell;
    expect(enAgain.items.find((n) => n.id === legacy.id)).toMatchObject({ title: `新工单 ${c.number}（旧）`, body: '旧通知' });
  });
});
