// A period (first and last day, inclusive) picked from presets or a date range.
import { DatePicker, Select, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { Period } from './commandApi';

export type Preset = 'today' | 'last7' | 'last30' | 'thisMonth' | 'lastMonth' | 'thisYear';
export const PRESETS: Preset[] = ['today', 'last7', 'last30', 'thisMonth', 'lastMonth', 'thisYear'];

const D = 'YYYY-MM-DD';

export function presetPeriod(p: Preset, now: Dayjs = dayjs()): Period {
  switch (p) {
    case 'today':
      return { from: now.format(D), to: now.format(D) };
    case 'last7':
      return { from: now.subtract(6, 'day').format(D), to: now.format(D) };
    case 'last30':
      return { from: now.subtract(29, 'day').format(D), to: now.format(D) };
    case 'thisMonth':
      return { from: now.startOf('month').format(D), to: now.format(D) };
    case 'lastMonth': {
      const m = now.subtract(1, 'month');
      return { from: m.startOf('month').format(D), to: m.endOf('month').format(D) };
    }
    case 'thisYear':
      return { from: now.startOf('year').format(D), to: now.format(D) };
  }
}

export function presetOf(period: Period): Preset | undefined {
  return PRESETS.find((p) => {
    const q = presetPeriod(p);
    return q.from === period.from && q.to === period.to;
  });
}

interface Props {
  value: Period;
  onChange: (p: Period) => void;
  size?: 'small' | 'middle' | 'large';
  testId?: string;
}

export function PeriodPicker({ value, onChange, size, testId = 'period' }: Props) {
  const { t } = useTranslation();
  const preset = presetOf(value);
  return (
    <Space.Compact size={size} data-testid={testId}>
      <Select<Preset | 'custom'>
        value={preset ?? 'custom'}
        style={{ width: 124 }}
        data-testid={`${testId}-preset`}
        onChange={(p) => p !== 'custom' && onChange(presetPeriod(p))}
        options={[...PRESETS.map((p) => ({ value: p, label: t(`period.${p}`) })), ...(preset ? [] : [{ value: 'custom' as const, label: t('period.custom') }])]}
      />
      <DatePicker.RangePicker
        className="gw-period-range"
        allowClear={false}
        value={[dayjs(value.from), dayjs(value.to)]}
        onChange={(r) => {
          if (r?.[0] && r[1]) onChange({ from: r[0].format(D), to: r[1].format(D) });
        }}
        style={{ width: 240 }}
      />
    </Space.Compact>
  );
}
