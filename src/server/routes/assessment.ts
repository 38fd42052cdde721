// /api/assessment: indicator tables with their definitions (口径), the yearly scheme, monthly rankings (红黑榜) as
// lifecycle items (draft → published → corrected), and their .xlsx exports.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { INDICATORS, NOT_YET_AVAILABLE, UNIT_KINDS } from '../../domain/assessment/indicators.js';
import { RANKING_MOVES } from '../../domain/assessment/ranking-lifecycle.js';
import { RATE_INDICATORS } from '../../domain/assessment/scheme.js';
import { indicatorTable, indicatorTableXlsx } from '../../services/assessment/indicators.js';
import { pointsBoard, draftRanking, getRanking, getScheme, moveRanking, rankings, rankingXlsx, saveScheme } from '../../services/assessment/rankings.js';
import { actorOf } from '../auth-plugin.js';
import type { ServerDeps } from '../deps.js';
import type { Role } from '../../shared/vocabulary.js';
import { REPORT_MOVES } from '../../domain/assessment/report-lifecycle.js';
import { draftReport, getReport, moveReport, reportDocument, reports } from '../../services/assessment/report.js';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const READERS: Role[] = ['admin', 'leader', 'operator'];
const PREPARERS: Role[] = ['admin', 'leader', 'operator'];
const tags = ['assessment'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const Period = z.string().max(10).describe("month '2026-11', quarter '2026-Q4', ISO week '2026-W48' or year '2026'");
const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/).describe("month, e.g. '2026-11'");
const RankedUnit = z.enum(['grid', 'community', 'department']);
const Id = z.coerce.number().int().min(1).max(2147483647);
const Year = z.coerce.number().int().min(2000).max(2100);
const Scheme = z.object({
  items: z.array(z.object({ indicator: z.enum(RATE_INDICATORS as [string, ...string[]]), weight: z.number().min(0).max(1000) })).max(10),
  penaltyPerOverdue: z.number().min(0).max(100),
  bonusPerFixOnSpot: z.number().min(0).max(100),
  minVolume: z.number().int().min(0).max(100000),
  tie: z.enum(['shared', 'volume']),
  boardSize: z.number().int().min(0).max(50),
  points: z.object({ perReport: z.number().min(0).max(100), perVerification: z.number().min(0).max(100), perPatrolDay: z.number().min(0).max(100), perFixOnSpot: z.number().min(0).max(100) }).optional(),
});

const attachment = (reply: FastifyReply, filename: string, ascii: string) =>
  reply.type(XLSX).header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`);

export async function assessmentRoutes(app: FastifyInstance, deps: ServerDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = (req: Parameters<typeof actorOf>[0]) => ({ db: deps.db, actor: actorOf(req), ip: req.ip, now: deps.clock.now() });

  r.get(
    '/api/assessment/definitions',
    { config: { roles: READERS }, schema: { tags, summary: 'Every indicator with its name, definition (口径), formula and the units it applies to; the indicators without a data source yet, and why' } },
    async () => ({ indicators: INDICATORS, units: UNIT_KINDS, notYetAvailable: NOT_YET_AVAILABLE }),
  );
  r.get(
    '/api/assessment/indicators',
    {
      config: { roles: READERS },
      schema: { tags, summary: 'Indicators of every unit of a kind in the caller’s area for a period', querystring: z.object({ unit: z.enum(UNIT_KINDS), period: Period }) },
    },
    async (req) => indicatorTable(ctx(req), req.query),
  );
  r.get(
    '/api/assessment/indicators/export',
    {
      config: { roles: READERS },
      schema: { tags: [...tags, 'exports'], summary: 'The indicator table as .xlsx (same numbers as the screen; = + - @ neutralised)', querystring: z.object({ unit: z.enum(UNIT_KINDS), period: Period }), produces: [XLSX] },
    },
    async (req, reply) => attachment(reply, `考核指标-${req.query.unit}-${req.query.period}.xlsx`, `indicators-${req.query.unit}.xlsx`).send(await indicatorTableXlsx(ctx(req), req.query)),
  );
  r.get(
    '/api/assessment/points',
    {
      config: { roles: ['admin', 'leader', 'operator', 'grid_worker'] },
      schema: { tags, summary: 'Grid-worker points (积分) leaderboard for a period: per report, verification, day on patrol, fix on the spot', querystring: z.object({ period: Period }) },
    },
    async (req) => pointsBoard(ctx(req), req.query),
  );
  r.get(
    '/api/assessment/schemes/:year',
    { config: { roles: READERS }, schema: { tags, summary: 'The assessment scheme (考核办法) of a year; the default when none is defined', params: z.object({ year: Year }) } },
    async (req) => getScheme(ctx(req), req.params.year),
  );
  r.put(
    '/api/assessment/schemes/:year',
    { config: { roles: ['admin'] }, schema: { tags, summary: 'Define the assessment scheme of a year (administrators)', params: z.object({ year: Year }), body: Scheme } },
    async (req) => saveScheme(ctx(req), req.params.year, req.body as never),
  );
  r.get(
    '/api/assessment/rankings',
    { config: { roles: READERS }, schema: { tags, summary: 'Rankings (drafts and editions) in the caller’s area', querystring: z.object({ period: Month.optional(), unit: RankedUnit.optional() }) } },
    async (req) => rankings(ctx(req), req.query),
  );
  r.post(
    '/api/assessment/rankings',
    { config: { roles: PREPARERS }, schema: { tags, summary: 'Draft the ranking of a month for a unit kind, computed now', body: z.object({ period: Month, unit: RankedUnit }) } },
    async (req, reply) => reply.status(201).send(await draftRanking(ctx(req), req.body)),
  );
  r.get(
    '/api/assessment/rankings/:id',
    { config: { roles: READERS }, schema: { tags, summary: 'A ranking with its rows, editions and timeline', params: z.object({ id: Id }) } },
    async (req) => getRanking(ctx(req), req.params.id),
  );
  r.post(
    '/api/assessment/rankings/:id/moves/:move',
    {
      config: { roles: PREPARERS },
      schema: {
        tags,
        summary: 'A move on a ranking: recompute (draft), publish (freezes it), correct (with a reason: a new edition), discard',
        params: z.object({ id: Id, move: z.enum(RANKING_MOVES) }),
        body: z.object({ version: z.number().int().min(1), note: z.string().max(2000).optional() }),
      },
    },
    async (req) => moveRanking(ctx(req), req.params.id, req.params.move, req.body),
  );
  r.get(
    '/api/assessment/rankings/:id/export',
    { config: { roles: READERS }, schema: { tags: [...tags, 'exports'], summary: 'A ranking as .xlsx (its frozen rows; = + - @ neutralised)', params: z.object({ id: Id }), produces: [XLSX] } },
    async (req, reply) => {
      const x = await rankingXlsx(ctx(req), req.params.id);
      return attachment(reply, `考核排名-${x.period}-${x.unit}.xlsx`, `ranking-${x.period}-${x.unit}.xlsx`).send(x.body);
    },
  );

  // --- monthly situation reports (情况汇报) -------------------------------------------------------------------------
  const rtags = ['reports'];
  r.get(
    '/api/reports',
    { config: { roles: READERS }, schema: { tags: rtags, summary: 'Situation reports (drafts and issued) in the caller’s area', querystring: z.object({ period: Month.optional() }) } },
    async (req) => reports(ctx(req), req.query),
  );
  r.post(
    '/api/reports',
    { config: { roles: PREPARERS }, schema: { tags: rtags, summary: 'Draft the monthly situation report from the data (总体情况, 主要问题, 超期与督办, ranking; 下步工作 blank)', body: z.object({ period: Month }) } },
    async (req, reply) => reply.status(201).send(await draftReport(ctx(req), req.body)),
  );
  r.get(
    '/api/reports/:id',
    { config: { roles: READERS }, schema: { tags: rtags, summary: 'A situation report with its numbers and sections', params: z.object({ id: Id }) } },
    async (req) => getReport(ctx(req), req.params.id),
  );
  r.post(
    '/api/reports/:id/moves/:move',
    {
      config: { roles: PREPARERS },
      schema: {
        tags: rtags,
        summary: 'A move on a report: edit (title, remarks, 下步工作 of a draft), issue (numbers recomputed and kept), discard',
        params: z.object({ id: Id, move: z.enum(REPORT_MOVES) }),
        body: z.object({ version: z.number().int().min(1), title: z.string().max(200).optional(), remarks: z.string().max(20000).optional(), nextSteps: z.string().max(20000).optional() }),
      },
    },
    async (req) => moveReport(ctx(req), req.params.id, req.params.move, req.body),
  );
  r.get(
    '/api/reports/:id/docx',
    { config: { roles: READERS }, schema: { tags: rtags, summary: 'The report as .docx (charts and the hot-spot map rendered on the server)', params: z.object({ id: Id }), produces: [DOCX] } },
    async (req, reply) => {
      const { report: rep, docx: body } = await reportDocument(ctx(req), req.params.id);
      return reply
        .type(DOCX)
        .header('content-disposition', `attachment; filename="report-${rep.period}.docx"; filename*=UTF-8''${encodeURIComponent(`${rep.title}.docx`)}`)
        .send(body);
    },
  );
}
