// 案件查询: every case in the user's scope, filtered by state, category, grid, report date and keyword; the filters
// live in the URL so a list can be bookmarked and the back button restores it.
import { useMemo, useState } from 'react';
import { Button, Card, DatePicker, Form, Input, Select, TreeSelect } from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { ExportButton } from '../components/ExportButton';
import { useSearchParams } from 'react-router-dom';
import { CASE_STATES, URGENCIES, WARNING_LEVELS } from '../../../src/shared/vocabulary';
import { api, type CaseFilters } from '../api';
import { CaseTable } from '../components/CaseTable';
import { useCursorPages } from '../components/cursorPages';
import { ExtraFilterTags, extraListFilters } from '../components/command/listFilters';
import { categoryTree } from '../components/categoryTree';
import { useCategories, useDepartments, useGrids } from '../queries';
import { caseKeys } from '../queryKeys';

interface FilterValues {
  state?: string;
  warningLevel?: string;
  urgency?: string;
  departmentId?: number;
  categoryId?: number;
  gridId?: number;
  range?: [Dayjs | null, Dayjs | null] | null;
  q?: string;
}

const num = (v: string | null) => (v && /^\d+$/.test(v) ? Number(v) : undefined);

function filtersFrom(params: URLSearchParams): CaseFilters {
  return {
    state: params.get('state') ?? undefined,
    warningLevel: params.get('warningLevel') ?? undefined,
    urgency: params.get('urgency') ?? undefined,
    departmentId: num(params.get('departmentId')),
    categoryId: num(params.get('categoryId')),
    gridId: num(params.get('gridId')),
    from: params.get('from') ?? undefined,
    to: params.get('to') ?? undefined,
    q: params.get('q') ?? undefined,
    page: num(params.get('page')) ?? 1,
    pageSize: num(params.get('pageSize')) ?? 20,
    // the dashboard's and the map's filters (event, open, onTime …), passed through as they are
    ...extraListFilters(params),
  };
}

/** On a desktop (a phone gets its own page: see the page table). */
export function CasesPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => filtersFrom(params), [params]);
  const categories = useCategories();
  const grids = useGrids();
  const departments = useDepartments();
  const [form] = Form.useForm<FilterValues>();

  // paging by cursor where the page before was seen; the count is capped unless asked for exactly
  const { page: _page, pageSize: _size, ...filterOnly } = filters;
  const filterKey = JSON.stringify({ ...filterOnly, pageSize: filters.pageSize });
  const pages = useCursorPages(filterKey);
  const [exactFor, setExactFor] = useState<string | null>(null);
  const exact = exactFor === filterKey;
  const query = useQuery({
    queryKey: caseKeys.list(filters, exact),
    queryFn: async () => {
      const page = filters.page ?? 1;
      const after = pages.cursorFor(page);
      const list = await api.cases({ ...filters, ...(after ? { after } : {}), ...(exact ? { count: 'exact' as const } : {}) });
      pages.remember(page, list.nextCursor);
      return list;
    },
    placeholderData: keepPreviousData,
  });

  const apply = (next: CaseFilters) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(next)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
    if (p.get('page') === '1') p.delete('page');
    if (p.get('pageSize') === '20') p.delete('pageSize');
    setParams(p);
  };

  const onSearch = (v: FilterValues) =>
    apply({
      state: v.state,
      warningLevel: v.warningLevel,
      urgency: v.urgency,
      departmentId: v.departmentId,
      categoryId: v.categoryId,
      gridId: v.gridId,
      from: v.range?.[0]?.format('YYYY-MM-DD'),
      to: v.range?.[1]?.format('YYYY-MM-DD'),
      q: v.q?.trim() || undefined,
      page: 1,
      pageSize: filters.pageSize,
    });

  const initial: FilterValues = {
    state: filters.state,
    warningLevel: filters.warningLevel,
    urgency: filters.urgency,
    departmentId: filters.departmentId,
    categoryId: filters.categoryId,
    gridId: filters.gridId,
    range: filters.from || filters.to ? [filters.from ? dayjs(filters.from) : null, filters.to ? dayjs(filters.to) : null] : null,
    q: filters.q,
  };

  return (
    <Card title={t('cases.title')}>
      <Form<FilterValues>
        form={form}
        key={params.toString()}
        layout="inline"
        initialValues={initial}
        onFinish={onSearch}
        className="gw-filters"
        name="filters"
      >
        <Form.Item name="state">
          <Select
            allowClear
            placeholder={t('cases.stateAny')}
            style={{ width: 140 }}
            data-testid="filter-state"
            options={CASE_STATES.map((s) => ({ value: s, label: t(`state.${s}`) }))}
          />
        </Form.Item>
        <Form.Item name="warningLevel">
          <Select
            allowClear
            placeholder={t('cases.warningAny')}
            style={{ width: 130 }}
            data-testid="filter-warning"
            options={WARNING_LEVELS.map((w) => ({ value: w, label: t(`warning.${w}`) }))}
          />
        </Form.Item>
        <Form.Item name="urgency">
          <Select
            allowClear
            placeholder={t('cases.urgencyAny')}
            style={{ width: 130 }}
            data-testid="filter-urgency"
            options={URGENCIES.map((u) => ({ value: u, label: t(`urgency.${u}`) }))}
          />
        </Form.Item>
        <Form.Item name="departmentId">
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('cases.departmentAny')}
            style={{ width: 160 }}
            data-testid="filter-department"
            options={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))}
          />
        </Form.Item>
        <Form.Item name="categoryId">
          <TreeSelect
            allowClear
            showSearch
            treeNodeFilterProp="title"
            placeholder={t('cases.categoryAny')}
            style={{ width: 200 }}
            data-testid="filter-category"
            treeData={categoryTree(categories.data ?? [], false)}
          />
        </Form.Item>
        <Form.Item name="gridId">
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('cases.gridAny')}
            style={{ width: 180 }}
            data-testid="filter-grid"
            options={(grids.data?.features ?? []).map((f) => ({ value: f.properties.id, label: f.properties.name }))}
          />
        </Form.Item>
        <Form.Item name="range">
          <DatePicker.RangePicker allowEmpty={[true, true]} data-testid="filter-range" style={{ width: 250 }} />
        </Form.Item>
        <Form.Item name="q">
          <Input allowClear placeholder={t('cases.keywordPlaceholder')} style={{ width: 200 }} data-testid="filter-q" />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" data-testid="filter-submit">
            {t('common.search')}
          </Button>
        </Form.Item>
        <Form.Item>
          <Button onClick={() => apply({})} data-testid="filter-reset">
            {t('common.reset')}
          </Button>
        </Form.Item>
        <Form.Item>
          <ExportButton path="/cases/export.xlsx" query={Object.fromEntries(params.entries())} testId="cases-export" />
        </Form.Item>
      </Form>
      <ExtraFilterTags params={params} />
      <CaseTable
        items={query.data?.items ?? []}
        total={query.data?.total ?? 0}
        totalCapped={query.data?.totalCapped ?? false}
        onExactCount={() => setExactFor(filterKey)}
        page={filters.page ?? 1}
        pageSize={filters.pageSize ?? 20}
        loading={query.isFetching}
        rowTestId="case-row"
        emptyText={t('cases.empty')}
        onPage={(page, pageSize) => apply({ ...filters, page: pageSize === filters.pageSize ? page : 1, pageSize })}
      />
    </Card>
  );
}
