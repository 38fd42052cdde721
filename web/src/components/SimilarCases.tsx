// On every report form (desktop and phone, every role): open cases of the same category reported nearby recently,
// so a duplicate is not reported twice (the operator can still merge it later). A case outside the user's scope
// (a neighbour's report, for a citizen) is shown only as existing, with its state and a rounded distance.
import { Alert, List, Space, Typography } from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api } from '../api';
import { StateTag } from './StateTag';
import { caseKeys } from '../queryKeys';

interface Props {
  lng: number;
  lat: number;
  categoryId: number;
}

export function SimilarCases({ lng, lat, categoryId }: Props) {
  const { t } = useTranslation();
  const query = useQuery({
    queryKey: caseKeys.similarAt({ lng, lat, categoryId }),
    queryFn: () => api.similar({ lng, lat, categoryId }),
    placeholderData: keepPreviousData,
    meta: { silent: true },
  });
  const items = query.data?.items ?? [];
  if (!items.length) return null;
  const anyHidden = items.some((s) => !s.readable);
  return (
    <Alert
      type="warning"
      showIcon
      style={{ marginBottom: 12 }}
      data-testid="report-similar"
      data-count={items.length}
      title={t('report.similarTitle', { count: items.length, radius: query.data!.radiusM, days: query.data!.days })}
      description={
        <>
          <List
            size="small"
            dataSource={items.slice(0, 5)}
            renderItem={(s) => (
              <List.Item style={{ paddingInline: 0 }} data-testid="similar-item" data-readable={s.readable ? 'true' : 'false'}>
                {s.readable && s.id != null ? (
                  <Space size={6} wrap>
                    <Link to={`/cases/${s.id}`} target="_blank">
                      {s.number}
                    </Link>
                    <StateTag state={s.state} />
                    <Typography.Text ellipsis style={{ maxWidth: 260 }}>
                      {s.description}
                    </Typography.Text>
                    <Typography.Text type="secondary">{t('report.distance', { m: Math.round(s.distanceM) })}</Typography.Text>
                  </Space>
                ) : (
                  <Space size={6} wrap>
                    <Typography.Text>{t('fd.similarHidden', { m: Math.round(s.distanceM), state: t(`state.${s.state}`) })}</Typography.Text>
                    <StateTag state={s.state} />
                  </Space>
                )}
              </List.Item>
            )}
          />
          {anyHidden && <Typography.Text type="secondary">{t('fd.similarHiddenHint')}</Typography.Text>}
        </>
      }
    />
  );
}
