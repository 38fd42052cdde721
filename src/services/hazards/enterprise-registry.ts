// The registry on the map and at the enterprise (issue 14): the enterprise points of 一张图 (by risk level, with
// their open hazards, filtered; in the reader's scope), and one enterprise's timeline — archive changes,
// inspections, hazard moves, notices and cases, newest first — each source read in scope.
import { DomainError } from '../../domain/errors.js';
import { findEnterpriseInScope } from '../../data/repos/hazards.js';
import { enterpriseAudit, enterpriseCases, enterpriseHazardEvents, enterpriseInspections, registryPoints } from '../../data/repos/enterprises.js';
import { ENTERPRISE_MAP_MAX, type EnterprisePoints, type EnterpriseTimeline, type TimelineEntry } from '../../shared/enterprises-api.js';
import { caseScope, requireRole } from '../access.js';
import type { ActorContext } from '../context.js';
import { registryFilter } from './enterprise-filter.js';
import type { EnterpriseFilterQuery } from '../../shared/enterprises-api.js';

export const REGISTRY_READERS = ['admin', 'operator', 'leader', 'grid_worker', 'department'] as const;
const GRADE = [null, 'general', 'larger', 'major'] as const;

export async function enterprisePoints(ctx: ActorContext, q: EnterpriseFilterQuery & { bbox?: string | undefined }): Promise<EnterprisePoints> {
  requireRole(ctx.actor, REGISTRY_READERS);
  const rows = await registryPoints(ctx.db, caseScope(ctx.actor), registryFilter(q), ENTERPRISE_MAP_MAX);
  const truncated = rows.length > ENTERPRISE_MAP_MAX;
  const features = rows.slice(0, ENTERPRISE_MAP_MAX).map((r) => ({
    type: 'Feature' as const,
    id: r.id,
    geometry: { type: 'Point' as const, coordinates: [r.lng, r.lat] as [number, number] },
    properties: {
      id: r.id,
      name: r.name,
      riskLevel: r.risk_level,
      status: r.status,
      industryCode: r.industry_code,
      industryName: r.industry_name,
      keyUnit: r.key_unit,
      watch: r.watch,
      openHazards: Number(r.open_hazards ?? 0),
      worstOpenGrade: GRADE[Number(r.worst_open ?? 0)] ?? null,
      gridId: r.grid_id,
    },
  }));
  return { type: 'FeatureCollection', total: features.length, truncated, features };
}

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();

/** Archive, inspections, hazards, notices and cases of one enterprise of the reader's scope, newest first. */
export async function enterpriseTimeline(ctx: ActorContext, id: number, limit: number): Promise<EnterpriseTimeline> {
  requireRole(ctx.actor, REGISTRY_READERS);
  const scope = caseScope(ctx.actor);
  const e = await findEnterpriseInScope(ctx.db, id, scope);
  if (!e) throw new DomainError('not_found');
  const [audit, inspections, events, cases] = await Promise.all([
    enterpriseAudit(ctx.db, id, limit),
    enterpriseInspections(ctx.db, scope, id, limit),
    enterpriseHazardEvents(ctx.db, scope, id, limit),
    enterpriseCases(ctx.db, scope, id, limit),
  ]);
  const items: TimelineEntry[] = [
    ...audit.map((a) => ({ at: iso(a.at), kind: 'archive' as const, what: a.action, title: a.summary, detail: null, actorName: a.actor_name, link: null })),
    ...inspections.map((i) => ({
      at: iso(i.at),
      kind: 'inspection' as const,
      what: i.failed > 0 ? 'inspection.failed' : 'inspection.passed',
      title: `${i.template_name ?? ''}${i.template_name ? ' · ' : ''}${(i.items as unknown[]).length} / ${i.failed}`,
      detail: i.note,
      actorName: i.actor_name,
      link: { type: 'inspection' as const, id: i.id },
    })),
    ...events.map((h) => {
      const notice = h.move === 'issue_notice' || h.move === 'record_receipt';
      return {
        at: iso(h.at),
        kind: notice ? ('notice' as const) : ('hazard' as const),
        what: `hazard.${h.move}`,
        title: notice && h.notice_number ? `${h.notice_number} · ${h.number}` : `${h.number} · ${h.description}`,
        detail: h.note,
        actorName: h.actor_name,
        link: { type: 'hazard' as const, id: h.hazard_id },
      };
    }),
    ...cases.map((c) => ({
      at: iso(c.reported_at),
      kind: 'case' as const,
      what: `case.${c.state}`,
      title: `${c.number} · ${c.description.slice(0, 80)}`,
      detail: null,
      actorName: c.actor_name,
      link: { type: 'case' as const, id: c.id },
    })),
  ];
  // newest first; at the same instant the later source (a move after the inspection that found it) first
  items.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return { items: items.slice(0, limit), truncated: items.length > limit };
}
