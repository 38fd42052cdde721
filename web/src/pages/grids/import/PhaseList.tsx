// Progress of the import, phase by phase.
import { Progress, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PhaseName, Phases } from './importFlow';

export function PhaseList({ phases, showSaving }: { phases: Phases; showSaving: boolean }) {
  const { t } = useTranslation();
  const names: PhaseName[] = showSaving ? ['reading', 'validating', 'saving'] : ['reading', 'validating'];
  return (
    <div data-testid="grid-import-phases">
      {names.map((name) => {
        const p = phases[name];
        return (
          <div key={name} style={{ marginBottom: 12 }} data-testid={`phase-${name}`} data-status={p.status}>
            <Space style={{ width: '100%', justifyContent: 'space-between' }}>
              <Typography.Text strong={p.status === 'active'} type={p.status === 'wait' ? 'secondary' : undefined}>
                {t(`gridImport.phase.${name}`)}
              </Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {p.note ?? t(`gridImport.phaseStatus.${p.status}`)}
              </Typography.Text>
            </Space>
            <Progress
              percent={p.percent ?? 100}
              showInfo={p.percent !== null && p.status !== 'wait'}
              status={p.status === 'error' ? 'exception' : p.status === 'done' ? 'success' : p.status === 'active' ? 'active' : 'normal'}
              size="small"
            />
          </div>
        );
      })}
    </div>
  );
}
