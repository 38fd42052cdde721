// The list filters the dashboard and the map link with (src/shared/stats-api.ts) beyond the case list's own form:
// passed through from the URL to GET /api/cases so the list's total equals the number that was clicked.
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

export const EXTRA_LIST_FILTERS = ['event', 'source', 'divisionId', 'open', 'onTime', 'reworked', 'satisfied', 'unrouted', 'noDepartment'] as const;

export function extraListFilters(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of EXTRA_LIST_FILTERS) {
    const v = params.get(k);
    if (v) out[k] = v;
  }
  return out;
}

/** Tags naming the pass-through filters in force (so a list opened from the dashboard says what it counts). */
export function ExtraFilterTags({ params }: { params: URLSearchParams }) {
  const { t } = useTranslation();
  const extra = extraListFilters(params);
  const keys = Object.keys(extra);
  if (!keys.length) return null;
  return (
    <div data-testid="list-extra-filters" style={{ marginBottom: 12 }}>
      {keys.map((k) => (
        <Tag key={k} color="blue">
          {t(`listFilter.${k}`, { defaultValue: k })}: {k === 'event' ? t(`listFilter.events.${extra[k]}`, { defaultValue: extra[k] }) : k === 'source' ? t(`source.${extra[k]}`, { defaultValue: extra[k] }) : extra[k] === 'true' ? t('listFilter.yes') : extra[k] === 'false' ? t('listFilter.no') : extra[k]}
        </Tag>
      ))}
    </div>
  );
}
