// Rows → API shapes (src/shared/api.ts).
import type { CaseDetail, CaseSummary, Photo } from '../shared/api.js';
import type { CaseListRow } from '../data/repos/cases.js';
import type { CaseDetailData } from '../services/cases.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentPhoto(p: { hash: string; mime: string; size: number }): Photo {
  return { hash: p.hash, mime: p.mime, size: p.size, url: `/api/photos/${p.hash}`, thumbUrl: `/api/photos/${p.hash}/thumb` };
}

export function presentCaseSummary(r: CaseListRow): CaseSummary {
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
  };
}

export function presentCaseDetail(d: CaseDetailData): CaseDetail {
  const photo = (h: string) => {
    const p = d.photos.get(h);
    return p ? [presentPhoto(p)] : [];
  };
  return {
    ...presentCaseSummary(d.summary),
    reporterName: d.reporterName,
    photos: d.summary.photos.flatMap(photo),
    allowedMoves: d.allowedMoves,
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
    })),
  };
}
