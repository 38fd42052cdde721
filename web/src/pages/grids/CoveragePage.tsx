// 覆盖检查 (/grids/coverage, administrators and operators): "无缝隙、全覆盖" — do the A-class grids under a division
// (or the child grids of a grid) cover it with no gap (缝隙, red) and no overlap (重叠, orange)? Each piece is listed
// with its area; a click on a row brings the map to it. Pieces smaller than the sliver tolerance are ignored.
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Col, Empty, Form, InputNumber, Row, Skeleton, Space, Table, Tag, TreeSelect, Typography } from 'antd';
import { RadarChartOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { useGrids } from '../../queries';
import type { MapGrid, MapShape } from '../../components/grids/GridAdminMap';
import { type AreaGeometry, type Bounds, boundsOf, fmtArea, GAP_COLOR, OVERLAP_COLOR } from '../../components/grids/gridGeo';
import { type CoverageResult, gridReads, type GridTreeNode, useGridTree } from '../../components/grids/gridsApi';

const GridAdminMap = lazy(() => import('../../components/grids/GridAdminMap'));

interface Piece {
  id: string;
  kind: 'gap' | 'overlap';
  areaM2: number;
  codes: string[];
  geometry: AreaGeometry;
}

interface ParentOption {
  value: string;
  title: string;
  children?: ParentOption[];
}

/** Divisions, and grids with child grids of their own: the parents a coverage check can take. */
function parentOptions(nodes: GridTreeNode[]): ParentOption[] {
  return nodes.flatMap((n) => {
    const kids = parentOptions(n.children);
    const hasGridChildren = n.children.some((c) => c.kind === 'grid' && c.gridClass === 'A');
    if (n.kind === 'grid' && !hasGridChildren && !kids.length) return [];
    return [{ value: n.code, title: `${n.name}（${n.code}）`, ...(kids.length ? { children: kids } : {}) }];
  });
}

function firstStreet(nodes: GridTreeNode[]): string | undefined {
  for (const n of nodes) {
    if (n.kind === 'division' && n.level === 'street') return n.code;
    const found = firstStreet(n.children);
    if (found) return found;
  }
  return undefined;
}

export function CoveragePage() {
  const { t, i18n } = useTranslation();
  const tree = useGridTree();
  const collection = useGrids();
  const [params, setParams] = useSearchParams();
  const [parent, setParent] = useState<string | undefined>(params.get('parent') ?? undefined);
  const [sliverM2, setSliverM2] = useState(1);
  const [sliverWidthM, setSliverWidthM] = useState(0.05);
  const [selected, setSelected] = useState<string | null>(null);
  const [fitTo, setFitTo] = useState<{ bounds: Bounds; key: string } | null>(null);

  useEffect(() => {
    if (!parent && tree.data) setParent(firstStreet(tree.data.roots));
  }, [tree.data, parent]);

  const run = useMutation({
    mutationFn: (p: { parent: string; sliverM2: number; sliverWidthM: number }) => gridReads.coverage(p.parent, p.sliverM2, p.sliverWidthM),
    onSuccess: (r) => {
      setSelected(null);
      const b = boundsOf(childGeometries(r));
      if (b) setFitTo({ bounds: b, key: `run-${Date.now()}` });
    },
  });
  const result = run.data;

  const byId = useMemo(() => new Map((collection.data?.features ?? []).map((f) => [f.id, f])), [collection.data]);
  const childGeometries = (r: CoverageResult) => r.children.map((c) => byId.get(c.id)?.geometry).filter((g): g is NonNullable<typeof g> => !!g);

  const mapGrids: MapGrid[] = useMemo(
    () =>
      (result?.children ?? [])
        .map((c) => byId.get(c.id))
        .filter((f): f is NonNullable<typeof f> => !!f)
        .map((f) => ({
          id: f.id,
          code: f.properties.code,
          name: f.properties.name,
          gridClass: f.properties.gridClass,
          level: 1,
          geometry: f.geometry as AreaGeometry,
          label: [f.properties.labelLng, f.properties.labelLat],
        })),
    [result, byId],
  );
  const pieces: Piece[] = useMemo(
    () => [
      ...(result?.gaps ?? []).map((g, i) => ({ id: `gap-${i}`, kind: 'gap' as const, areaM2: g.areaM2, codes: [], geometry: g.geometry as AreaGeometry })),
      ...(result?.overlaps ?? []).map((o, i) => ({ id: `overlap-${i}`, kind: 'overlap' as const, areaM2: o.areaM2, codes: o.codes, geometry: o.geometry as AreaGeometry })),
    ],
    [result],
  );
  const shapes: MapShape[] = useMemo(() => pieces.map((p) => ({ id: p.id, kind: p.kind, geometry: p.geometry })), [pieces]);
  const nameOf = useMemo(() => new Map((result?.children ?? []).map((c) => [c.code, c.name])), [result]);

  const focus = (id: string) => {
    setSelected(id);
    const p = pieces.find((x) => x.id === id);
    const b = p && boundsOf([p.geometry]);
    if (b) setFitTo({ bounds: b, key: `${id}-${Date.now()}` });
  };

  const submit = () => {
    if (!parent) return;
    setParams({ parent }, { replace: true });
    run.mutate({ parent, sliverM2, sliverWidthM });
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card title={t('gridCoverage.title')} extra={<Link to="/grids">{t('menu.grids')}</Link>}>
        <Typography.Paragraph type="secondary">{t('gridCoverage.hint')}</Typography.Paragraph>
        <Form layout="inline" className="gw-filters" onFinish={submit}>
          <Form.Item label={t('gridCoverage.parent')}>
            <TreeSelect
              showSearch={{ treeNodeFilterProp: 'title' }}
              value={parent}
              onChange={setParent}
              style={{ width: 300 }}
              treeDefaultExpandAll
              treeData={parentOptions(tree.data?.roots ?? [])}
              loading={tree.isLoading}
              data-testid="coverage-parent"
            />
          </Form.Item>
          <Form.Item label={t('gridCoverage.sliver')} tooltip={t('gridCoverage.sliverTip')}>
            <InputNumber<number>
              min={0}
              max={1_000_000}
              value={sliverM2}
              onChange={(v) => setSliverM2(v ?? 0)}
              suffix="m²"
              style={{ width: 130 }}
              data-testid="coverage-sliver"
            />
          </Form.Item>
          <Form.Item label={t('gridCoverage.sliverWidth')} tooltip={t('gridCoverage.sliverWidthTip')}>
            <InputNumber<number>
              min={0}
              max={100}
              step={0.05}
              value={sliverWidthM}
              onChange={(v) => setSliverWidthM(v ?? 0)}
              suffix="m"
              style={{ width: 120 }}
            />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" icon={<RadarChartOutlined />} loading={run.isPending} disabled={!parent} data-testid="coverage-run">
              {t('gridCoverage.run')}
            </Button>
          </Form.Item>
        </Form>
        {result && (
          <div data-testid="coverage-result" data-ok={result.ok ? 'true' : 'false'} data-gaps={result.gaps.length} data-overlaps={result.overlaps.length}>
            {result.ok ? (
              <Alert
                type="success"
                showIcon
                title={t('gridCoverage.ok', { name: result.parent.name, count: result.children.length })}
                description={t('gridCoverage.okHint', { area: fmtArea(result.parent.areaM2, i18n.language) })}
              />
            ) : (
              <Alert
                type="warning"
                showIcon
                title={t('gridCoverage.problems', { name: result.parent.name, gaps: result.gaps.length, overlaps: result.overlaps.length })}
                description={t('gridCoverage.problemsHint')}
              />
            )}
          </div>
        )}
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Card styles={{ body: { padding: 12 } }}>
            <Space size={16} style={{ marginBottom: 8 }} wrap>
              <span>
                <span className="gw-legend-swatch" style={{ background: GAP_COLOR }} />
                {t('gridCoverage.gap')}
              </span>
              <span>
                <span className="gw-legend-swatch" style={{ background: OVERLAP_COLOR }} />
                {t('gridCoverage.overlap')}
              </span>
              <span>
                <span className="gw-legend-swatch" style={{ background: '#1677ff', opacity: 0.4 }} />
                {t('gridCoverage.children')}
              </span>
            </Space>
            <Suspense fallback={<Skeleton.Node active style={{ width: '100%', height: 520 }} />}>
              <GridAdminMap
                grids={mapGrids}
                shapes={shapes}
                selectedShapeId={selected}
                onSelectShape={focus}
                fitTo={fitTo}
                height={520}
                testId="coverage-map"
              />
            </Suspense>
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card title={result ? t('gridCoverage.listTitle', { count: pieces.length }) : t('fd.coverageList')} styles={{ body: { padding: pieces.length ? 0 : undefined } }}>
            {!result ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('gridCoverage.notRun')} />
            ) : pieces.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('gridCoverage.none')} data-testid="coverage-empty" />
            ) : (
              <Table<Piece>
                rowKey="id"
                size="small"
                dataSource={pieces}
                pagination={pieces.length > 12 ? { pageSize: 12, size: 'small' } : false}
                rowClassName={(p) => (p.id === selected ? 'ant-table-row-selected' : '')}
                onRow={(p) =>
                  ({
                    'data-testid': 'coverage-row',
                    'data-kind': p.kind,
                    onClick: () => focus(p.id),
                    style: { cursor: 'pointer' },
                  }) as React.HTMLAttributes<HTMLElement>
                }
                columns={[
                  {
                    title: t('gridCoverage.kind'),
                    dataIndex: 'kind',
                    width: 70,
                    render: (k: Piece['kind']) => <Tag color={k === 'gap' ? 'red' : 'orange'}>{t(`gridCoverage.${k}`)}</Tag>,
                  },
                  {
                    title: t('gridCoverage.where'),
                    key: 'where',
                    render: (_, p) =>
                      p.kind === 'gap' ? (
                        <Typography.Text type="secondary">{t('gridCoverage.gapWhere')}</Typography.Text>
                      ) : (
                        <span style={{ fontSize: 12 }}>{p.codes.map((c) => nameOf.get(c) ?? c).join(' ∩ ')}</span>
                      ),
                  },
                  {
                    title: t('gridCoverage.area'),
                    dataIndex: 'areaM2',
                    width: 110,
                    align: 'right',
                    sorter: (a, b) => a.areaM2 - b.areaM2,
                    render: (a: number) => <span style={{ fontVariantNumeric: 'tabular-nums' }}>{fmtArea(a, i18n.language)}</span>,
                  },
                ]}
              />
            )}
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
