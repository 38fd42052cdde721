// 案件 on the phone: the cases in the user's scope as cards, newest first, with a search box and a state filter;
// more are loaded on demand instead of paging a table.
import { useState } from 'react';
import { Button, Empty, Input, Select, Skeleton, Space, Tag, Typography } from 'antd';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { CASE_STATES } from '../../../../src/shared/vocabulary';
import { api } from '../../api';
import { PhoneCaseCard } from './PhoneCaseCard';
import './phone.css';
import { caseKeys } from '../../queryKeys';

const PAGE = 20;

export function PhoneCasesPage() {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [state, setState] = useState<string | undefined>();
  const list = useInfiniteQuery({
    queryKey: caseKeys.phoneList({ q, state }),
    queryFn: ({ pageParam }) => api.cases({ q: q || undefined, state, page: pageParam, pageSize: PAGE }),
    initialPageParam: 1,
    getNextPageParam: (last, all) => (all.length * PAGE < last.total ? all.length + 1 : undefined),
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const total = list.data?.pages[0]?.total ?? 0;
  return (
    <div className="gw-phone" data-testid="phone-case-list">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('fd.cases')} {list.data ? <Tag data-testid="phone-case-total">{total}</Tag> : null}
      </Typography.Title>
      <Space.Compact block style={{ marginBottom: 12 }}>
        <Input.Search allowClear placeholder={t('fd.search')} onSearch={(v) => setQ(v.trim())} data-testid="phone-case-search" />
        <Select
          allowClear
          placeholder={t('fd.allStates')}
          style={{ width: 110 }}
          value={state}
          onChange={setState}
          options={CASE_STATES.map((s) => ({ value: s, label: t(`state.${s}`) }))}
        />
      </Space.Compact>
      {!list.data ? (
        <Skeleton active />
      ) : items.length === 0 ? (
        <Empty description={t('fd.noCases')} />
      ) : (
        <>
          {items.map((c) => (
            <PhoneCaseCard key={c.id} c={c} />
          ))}
          {list.hasNextPage && (
            <Button block size="large" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()} data-testid="phone-case-more">
              {t('fd.more')}
            </Button>
          )}
        </>
      )}
    </div>
  );
}
