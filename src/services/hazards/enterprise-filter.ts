// The registry's filter as the list, its export and the map layer read it from a query string: one translation, so
// an export holds exactly the rows the list counts under the same filter.
import type { RegistryFilter } from '../../data/repos/enterprises.js';
import type { EnterpriseFilterQuery } from '../../shared/enterprises-api.js';

const bool = (v: 'true' | 'false' | undefined) => (v == null ? undefined : v === 'true');

export function registryFilter(q: EnterpriseFilterQuery & { bbox?: string | undefined }): RegistryFilter {
  return {
    q: q.q || undefined,
    status: q.status,
    riskLevels: q.riskLevel ? (q.riskLevel.split(',') as RegistryFilter['riskLevels']) : undefined,
    watch: bool(q.watch),
    keyUnit: bool(q.keyUnit),
    openHazards: bool(q.openHazards),
    industry: q.industry || undefined,
    gridId: q.gridId,
    bbox: q.bbox ? (q.bbox.split(',').map(Number) as [number, number, number, number]) : undefined,
  };
}
