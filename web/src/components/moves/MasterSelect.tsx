// Picks the master case for a merge (并单): similar open cases nearby first, or any case found by its number.
import { useState } from 'react';
import { Select, Space, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { CaseDetail } from '../../../../src/shared/api';
import { api } from '../../api';
import { StateTag } from '../StateTag';
import { caseKeys } from '../../queryKeys';

interface Props {
  c: CaseDetail;
  value?: number;
  onChange?: (id: number) => void;
}

export function MasterSelect({ c, value, onChange }: Props) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const similar = useQuery({
    queryKey: caseKeys.similarTo(c.id),
    queryFn: () => api.similar({ lng: c.lng, lat: c.lat, categoryId: c.categoryId, excludeId: c.id }),
  });
  const found = useQuery({
    queryKey: caseKeys.search(search, 10),
    queryFn: () => api.cases({ q: search, pageSize: 10 }),
    enabled: search.trim().length >= 4,
  });
  const rows = new Map<number, { id: number; number: string; state: CaseDetail['state']; description: string; extra?: string }>();
  for (const s of similar.data?.items ?? []) {
    // a case outside the operator's scope cannot be a master: it is only mentioned on report forms
    if (s.readable && s.id != null) rows.set(s.id, { id: s.id, number: s.number ?? '', state: s.state, description: s.description ?? '', extra: t('report.distance', { m: Math.round(s.distanceM) }) });
  }
  for (const s of found.data?.items ?? []) if (s.id !== c.id && !rows.has(s.id)) rows.set(s.id, s);
  const options = [...rows.values()].map((r) => ({
    value: r.id,
    searchText: `${r.number} ${r.description}`,
    label: (
      <Space size={6}>
        <span>{r.number}</span>
        <StateTag state={r.state} />
        <Typography.Text type="secondary" ellipsis style={{ maxWidth: 200 }}>
          {r.description}
        </Typography.Text>
        {r.extra && <Typography.Text type="secondary">{r.extra}</Typography.Text>}
      </Space>
    ),
  }));
  return (
    <Select
      data-testid="move-master"
      value={value}
      onChange={onChange}
      placeholder={t('moveForm.masterPlaceholder')}
      loading={similar.isLoading || found.isFetching}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      options={options}
    />
  );
}
