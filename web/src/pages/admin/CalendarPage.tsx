// 工作日历 (admin): holidays and 调休 makeup working days of a year (official, or set here), the working hours,
// and an import for next year's schedule when the State Council publishes it.
import { useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Calendar,
  Card,
  Checkbox,
  Col,
  Form,
  Input,
  Modal,
  Radio,
  Row,
  Select,
  Space,
  Table,
  Tag,
  TimePicker,
  Typography,
  Upload,
} from 'antd';
import { DeleteOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import dayjs, { type Dayjs } from 'dayjs';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { CalendarDay, CalendarImportResult, LimitMove, WorkingPeriod } from '../../../../src/shared/calendar-api';
import { fmtTime } from '../../format';
import { api } from '../../api';
import { showError, showSuccess } from '../../notify';
import { calendarKeys } from '../../queryKeys';

export function CalendarPage() {
  const { t } = useTranslation();
  const [year, setYear] = useState(dayjs().year());
  const [month, setMonth] = useState<Dayjs>(dayjs());
  const [day, setDay] = useState<Dayjs | null>(null);
  const query = useQuery({ queryKey: calendarKeys.year(year), queryFn: () => api.calendar(year) });
  const days = new Map((query.data?.days ?? []).map((d) => [d.date, d]));
  const years = [...new Set([...(query.data?.knownYears ?? []), year - 1, year, year + 1])].sort();

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={t('calendar.title')}
        extra={
          <Select
            value={year}
            style={{ width: 110 }}
            data-testid="calendar-year"
            options={years.map((y) => ({ value: y, label: y }))}
            onChange={(y) => {
              setYear(y);
              setMonth(month.year(y));
            }}
          />
        }
      >
        <Typography.Paragraph type="secondary">{t('calendar.hint')}</Typography.Paragraph>
        {query.data && !query.data.known && (
          <Alert type="warning" showIcon title={t('calendar.unknownYear', { year })} style={{ marginBottom: 16 }} data-testid="calendar-unknown" />
        )}
        {query.data?.status === 'provisional' && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            data-testid="calendar-provisional"
            title={t(query.data.partial ? 'calendar.partialYear' : 'calendar.provisionalYear', { year })}
            description={query.data.missingHolidays.length ? t('calendar.missingHolidays', { list: query.data.missingHolidays.join('、') }) : undefined}
          />
        )}
        {query.data?.status === 'official' && (
          <Tag color="green" style={{ marginBottom: 16 }} data-testid="calendar-official">
            {t('calendar.officialYear', { year })}
          </Tag>
        )}
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={14}>
            <Calendar
              fullscreen={false}
              value={month}
              onPanelChange={(d) => {
                setMonth(d);
                if (d.year() !== year) setYear(d.year());
              }}
              onSelect={(d, info) => {
                setMonth(d);
                if (d.year() !== year) setYear(d.year());
                if (info.source === 'date') setDay(d);
              }}
              cellRender={(d, info) => {
                if (info.type !== 'date') return info.originNode;
                const entry = days.get(d.format('YYYY-MM-DD'));
                if (!entry) return null;
                return (
                  <Badge
                    color={entry.source === 'provisional' ? 'orange' : entry.kind === 'holiday' ? 'red' : 'blue'}
                    text={t(entry.source === 'provisional' ? 'calendar.provisionalHoliday' : entry.kind === 'holiday' ? 'calendar.holiday' : 'calendar.workday')}
                    title={entry.note ?? undefined}
                    style={{ fontSize: 11 }}
                  />
                );
              }}
            />
          </Col>
          <Col xs={24} lg={10}>
            <Typography.Title level={5}>{t('calendar.days')}</Typography.Title>
            <Table<CalendarDay>
              rowKey="date"
              size="small"
              loading={query.isLoading}
              dataSource={query.data?.days ?? []}
              pagination={{ pageSize: 12, size: 'small' }}
              onRow={(d) => ({
                onClick: () => {
                  setMonth(dayjs(d.date));
                  setDay(dayjs(d.date));
                },
                style: { cursor: 'pointer' },
              })}
              columns={[
                { title: t('calendar.date'), dataIndex: 'date', width: 110 },
                {
                  dataIndex: 'kind',
                  width: 110,
                  render: (k: CalendarDay['kind']) => (
                    <Tag color={k === 'holiday' ? 'red' : 'blue'}>{t(k === 'holiday' ? 'calendar.holidayLong' : 'calendar.workdayLong')}</Tag>
                  ),
                },
                { dataIndex: 'note', render: (n: string | null) => n ?? '' },
                {
                  dataIndex: 'source',
                  width: 70,
                  render: (s: CalendarDay['source']) => (
                    <Tag color={s === 'provisional' ? 'orange' : undefined}>{t(s === 'builtin' ? 'calendar.builtin' : s === 'provisional' ? 'calendar.provisional' : 'calendar.override')}</Tag>
                  ),
                },
              ]}
            />
          </Col>
        </Row>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={10}>
          {query.data && <WorkingHoursCard key={JSON.stringify(query.data.workingHours)} periods={query.data.workingHours} />}
        </Col>
        <Col xs={24} lg={14}>
          <ImportCard />
        </Col>
      </Row>
      {day && <DayDialog date={day} entry={days.get(day.format('YYYY-MM-DD'))} onClose={() => setDay(null)} />}
    </Space>
  );
}

function DayDialog({ date, entry, onClose }: { date: Dayjs; entry: CalendarDay | undefined; onClose: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [kind, setKind] = useState<'holiday' | 'workday'>(entry?.kind ?? (date.day() === 0 || date.day() === 6 ? 'workday' : 'holiday'));
  const [note, setNote] = useState(entry?.note ?? '');
  const iso = date.format('YYYY-MM-DD');
  const done = () => {
    void client.invalidateQueries({ queryKey: calendarKeys.all });
    showSuccess(t('common.saved'));
    onClose();
  };
  const save = useMutation({ mutationFn: () => api.setCalendarDay(iso, kind, note.trim() || undefined), onSuccess: done });
  const remove = useMutation({ mutationFn: () => api.deleteCalendarDay(iso), onSuccess: done });
  return (
    <Modal
      open
      title={t('calendar.dayTitle', { date: iso })}
      onCancel={onClose}
      footer={[
        entry?.source === 'override' && (
          <Button key="remove" icon={<DeleteOutlined />} loading={remove.isPending} onClick={() => remove.mutate()}>
            {t('calendar.remove')}
          </Button>
        ),
        <Button key="cancel" onClick={onClose}>
          {t('common.cancel')}
        </Button>,
        <Button key="ok" type="primary" loading={save.isPending} onClick={() => save.mutate()} data-testid="calendar-day-save">
          {t('common.submit')}
        </Button>,
      ]}
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Radio.Group value={kind} onChange={(e) => setKind(e.target.value as 'holiday' | 'workday')}>
          <Radio value="holiday">{t('calendar.setHoliday')}</Radio>
          <Radio value="workday">{t('calendar.setWorkday')}</Radio>
        </Radio.Group>
        <Input value={note} onChange={(e) => setNote(e.target.value)} maxLength={100} placeholder={t('calendar.note')} />
      </Space>
    </Modal>
  );
}

function WorkingHoursCard({ periods }: { periods: WorkingPeriod[] }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [rows, setRows] = useState<[Dayjs, Dayjs][]>(periods.map((p) => [dayjs(p.start, 'HH:mm'), dayjs(p.end, 'HH:mm')]));
  const save = useMutation({
    mutationFn: () => api.setWorkingHours(rows.map(([s, e]) => ({ start: s.format('HH:mm'), end: e.format('HH:mm') }))),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: calendarKeys.all });
      showSuccess(t('common.saved'));
    },
  });
  return (
    <Card title={t('calendar.workingHours')} size="small">
      <Space orientation="vertical" style={{ width: '100%' }}>
        {rows.map((r, i) => (
          <Space key={i}>
            <TimePicker.RangePicker
              format="HH:mm"
              minuteStep={5}
              value={r}
              allowClear={false}
              onChange={(v) => v?.[0] && v[1] && setRows(rows.map((x, j) => (j === i ? [v[0]!, v[1]!] : x)))}
            />
            <Button icon={<DeleteOutlined />} disabled={rows.length <= 1} onClick={() => setRows(rows.filter((_, j) => j !== i))} />
          </Space>
        ))}
        <Space>
          <Button
            icon={<PlusOutlined />}
            disabled={rows.length >= 8}
            onClick={() => setRows([...rows, [dayjs('18:00', 'HH:mm'), dayjs('20:00', 'HH:mm')]])}
          >
            {t('calendar.addPeriod')}
          </Button>
          <Button type="primary" loading={save.isPending} onClick={() => save.mutate()}>
            {t('calendar.saveHours')}
          </Button>
        </Space>
      </Space>
    </Card>
  );
}

type ImportFormat = 'list' | 'ics' | 'json';
interface ImportValues {
  format: ImportFormat;
  text: string;
  complete: boolean;
}

/** Next year's schedule in one step: paste or load a file, preview which open cases move, then import. */
function ImportCard() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [form] = Form.useForm<ImportValues>();
  const [result, setResult] = useState<CalendarImportResult | null>(null);
  const run = useMutation({
    mutationFn: ({ v, dryRun }: { v: ImportValues; dryRun: boolean }) => api.importCalendar(v.format, v.text, { dryRun, complete: v.complete }),
    onSuccess: (r) => {
      setResult(r);
      if (r.dryRun) return;
      void client.invalidateQueries({ queryKey: calendarKeys.all });
      showSuccess(t('calendar.imported', { count: r.imported }));
      if (r.errors.length) showError(`${t('calendar.importErrors', { count: r.errors.length })}: ${r.errors.map((e) => e.message).join('；')}`);
      form.resetFields(['text', 'complete']);
    },
  });
  const submit = (dryRun: boolean) => form.validateFields().then((v) => run.mutate({ v, dryRun }));
  const load = (file: File) => {
    void file.text().then((text) => {
      const format: ImportFormat = /\.ics$/i.test(file.name) ? 'ics' : /\.json$/i.test(file.name) ? 'json' : 'list';
      form.setFieldsValue({ text, format });
      setResult(null);
    });
    return false; // read here; nothing is uploaded
  };
  const days = (ms: number) => (ms / 86_400_000).toFixed(ms % 86_400_000 === 0 ? 0 : 1);
  return (
    <Card title={t('calendar.import')} size="small" data-testid="calendar-import">
      <Form form={form} layout="vertical" initialValues={{ format: 'list', complete: false }} onValuesChange={() => setResult(null)}>
        <Space wrap style={{ marginBottom: 8 }}>
          <Form.Item name="format" noStyle>
            <Radio.Group
              options={[
                { value: 'list', label: t('calendar.importList') },
                { value: 'ics', label: t('calendar.importIcs') },
                { value: 'json', label: 'JSON' },
              ]}
            />
          </Form.Item>
          <Upload accept=".ics,.json,.txt,.csv" showUploadList={false} beforeUpload={load}>
            <Button icon={<UploadOutlined />}>{t('calendar.importFile')}</Button>
          </Upload>
        </Space>
        <Form.Item name="text" label={t('calendar.importText')} rules={[{ required: true }]}>
          <Input.TextArea rows={6} placeholder={'2027-01-01 休 元旦\n2027-02-06~2027-02-12 休 春节\n2027-02-14 班 春节调休'} style={{ fontFamily: 'monospace' }} data-testid="calendar-import-text" />
        </Form.Item>
        <Form.Item name="complete" valuePropName="checked">
          <Checkbox>{t('calendar.importComplete')}</Checkbox>
        </Form.Item>
        <Space>
          <Button loading={run.isPending && run.variables?.dryRun} onClick={() => void submit(true)} data-testid="calendar-preview">
            {t('calendar.preview')}
          </Button>
          <Button type="primary" loading={run.isPending && !run.variables?.dryRun} onClick={() => void submit(false)} data-testid="calendar-import-submit">
            {t('calendar.import')}
          </Button>
        </Space>
      </Form>
      {result && (
        <div style={{ marginTop: 16 }} data-testid="calendar-import-result">
          <Alert
            type={result.dryRun ? 'info' : 'success'}
            showIcon
            title={t(result.dryRun ? 'calendar.previewSummary' : 'calendar.importSummary', { count: result.moves.filter((m) => m.shiftMs !== 0).length })}
            description={result.officialYears.length ? t('calendar.becomesOfficial', { years: result.officialYears.join('、') }) : t('calendar.staysProvisional')}
          />
          <Table<LimitMove>
            rowKey="caseId"
            size="small"
            style={{ marginTop: 8 }}
            dataSource={result.moves.filter((m) => m.shiftMs !== 0)}
            pagination={{ pageSize: 8, size: 'small' }}
            columns={[
              { title: t('cases.number'), dataIndex: 'number', render: (n: string, m) => <Link to={`/cases/${m.caseId}`}>{n}</Link> },
              { title: t('calendar.before'), dataIndex: 'before', render: fmtTime },
              { title: t('calendar.after'), dataIndex: 'after', render: fmtTime },
              { title: t('calendar.shift'), dataIndex: 'shiftMs', render: (ms: number) => t('calendar.shiftDays', { days: (ms > 0 ? '+' : '') + days(ms) }) },
            ]}
          />
        </div>
      )}
    </Card>
  );
}
