// Rows → API shapes (src/shared/api.ts).
import type { CaseDetail, CaseSummary, Photo } from '../shared/api.js';
import type { CaseListRow } from '../data/repos/cases/cases.js';
import { isClocked, warningLevelAt } from '../domain/cases/time-limits.js';
import type { CaseDetailData } from '../services/cases/cases.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentPhoto(p: { hash: string; mime: string; size: number }): Photo {
  return { hash: p.hash, mime: p.mime, size: p.size, url: `/api/photos/${p.hash}`, thumbUrl: `/api/photos/${p.hash}/thumb` };
}


export function presentCaseSummary(r: CaseListRow, now: Date): CaseSummary {
  return {
    id: r.id,
    number: r.number,
    state: r.state,
    source: r.source,
    categoryId: r.category_id,
    categoryName: r.category_name,
    gridId: r.grid_id,
    gridName: r.grid_name,
    communityName: r.community_name,
    departmentId: r.department_id,
    departmentName: r.department_name,
    description: r.description,
    address: r.address,
    lng: r.lng,
    lat: r.lat,
    reportedAt: r.reported_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    deadline: iso(r.deadline),
    version: r.version,
    urgency: r.urgency,
    clockKind: isClocked(r.state) ? r.clock_kind : null,
    dueAt: isClocked(r.state) ? iso(r.due_at) : null,
    warningLevel: isClocked(r.state) ? warningLevelAt(now, { warnAt: r.warn_at, dueAt: r.due_at }) : 'green',
    limitsProvisional: (r.deadline != null || r.due_at != null) && r.limits_provisional,
    reworkCount: r.rework_count,
    escalationLevel: r.escalation_level,
    rating: r.rating,
    masterId: r.master_id,
    life: r.life,
    pendingExtension: r.pending_extension ? { note: r.pending_extension.note, at: r.pending_extension.at, ...(r.pending_extension.deadline ? { deadline: r.pending_extension.deadline } : {}) } : null,
    pendingSuspend: r.pending_suspend ? { note: r.pending_suspend.note, at: r.pending_suspend.at } : null,
  };
}

export function presentCaseDetail(d: CaseDetailData, now: Date): CaseDetail {
  const photo = (h: string) => {
    const p = d.photos.get(h);
    return p ? [presentPhoto(p)] : [];
  };
  return {
    ...presentCaseSummary(d.summary, now),
    reporterName: d.reporterName,
    photos: d.summary.photos.flatMap(photo),
    allowedMoves: d.allowedMoves,
    assignments: d.assignments,
    duplicates: d.duplicates,
    masterNumber: d.masterNumber,
    categoryCriteria: d.categoryCriteria,
    events: d.events.map((e) => ({
      id: e.id,
      move: e.move,
      fromState: e.from_state,
      toState: e.to_state,
      actorName: e.actor_name,
      actorRole: e.actor_role,
      note: e.note,
      departmentName: e.department_name,
      deadline: iso(e.deadline),
      photos: e.photos.flatMap(photo),
      at: e.at.toISOString(),
      life: e.life,
      data: e.data,
    })),
  };
}
