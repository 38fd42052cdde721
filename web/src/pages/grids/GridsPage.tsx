// 网格管理 (/grids): the tree of divisions and grids on the left; on the right the map of the grids (by level and
// class, the selected one highlighted) and the selected grid's detail. Administrators edit the archive and people,
// move the vertices of a boundary, draw a new one, or split a grid along a line; a boundary is checked by the
// server before it is saved as a new version.
import { lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { Button, Card, Col, Empty, Row, Segmented, Skeleton, Space, Tag, Typography } from 'antd';
import { CloudUploadOutlined, RadarChartOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { useGrids } from '../../queries';
import { useMe } from '../../session';
import type { EditMode, EditState } from '../../components/grids/boundaryEditor';
import type { MapEditor, MapGrid, MapShape } from '../../components/grids/GridAdminMap';
import { GridDetailPanel } from '../../components/grids/GridDetailPanel';
import { type AreaGeometry, type Bounds, boundsOf, CLASS_COLORS, type GridClassName } from '../../components/grids/gridGeo';
import { type GridProblemOut, type GridTreeNode, gridNodes, useGridDetail, useGridTree } from '../../components/grids/gridsApi';
import { GridTreePanel } from '../../components/grids/GridTreePanel';
import { CLASSES, type EditSession, type Version } from './edit/editSession';
import { EditBar } from './edit/EditBar';
import { SplitDialog } from './edit/SplitDialog';

const GridAdminMap = lazy(() => import('../../components/grids/GridAdminMap'));

export function GridsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const admin = me.role === 'admin';
  const navigate = useNavigate();
  const tree = useGridTree();
  const collection = useGrids();
  const [params, setParams] = useSearchParams();
  const selectedId = Number(params.get('id')) || null;
  const detail = useGridDetail(selectedId);
  const grid = detail.data && detail.data.id === selectedId ? detail.data : undefined;
  const [level, setLevel] = useState<number | 'all'>('all');
  const [classes, setClasses] = useState<GridClassName[]>(CLASSES);
  const [fitTo, setFitTo] = useState<{ bounds: Bounds; key: string } | null>(null);
  const [shownVersion, setShownVersion] = useState<Version | null>(null);
  const [edit, setEdit] = useState<EditSession | null>(null);
  const [editState, setEditState] = useState<EditState | null>(null);
  const [problems, setProblems] = useState<GridProblemOut[] | null>(null);
  const [splitOpen, setSplitOpen] = useState(false);
  const fromMap = useRef(false);
  const sessionNo = useRef(0);

  // grids for the map: the collection's outlines with the tree's levels
  const levels = useMemo(() => new Map(gridNodes(tree.data).map((n) => [n.id, Number(n.level) || 1])), [tree.data]);
  const allGrids: MapGrid[] = useMemo(
    () =>
      (collection.data?.features ?? []).map((f) => ({
        id: f.id,
        code: f.properties.code,
        name: f.properties.name,
        gridClass: f.properties.gridClass,
        level: levels.get(f.id) ?? 1,
        geometry: f.geometry as AreaGeometry,
        label: [f.properties.labelLng, f.properties.labelLat],
      })),
    [collection.data, levels],
  );
  // the grids next to the selected one (same parent, same class A): what an edited outline must not reach into
  const parentOf = useMemo(() => {
    const m = new Map<number, string>();
    const walk = (nodes: GridTreeNode[], parent: string) => {
      for (const n of nodes) {
        if (n.kind === 'grid') m.set(n.id, parent);
        walk(n.children, `${n.kind}-${n.id}`);
      }
    };
    walk(tree.data?.roots ?? [], 'root');
    return m;
  }, [tree.data]);
  const neighbours = useMemo(
    () =>
      selectedId == null
        ? []
        : allGrids.filter((g) => g.id !== selectedId && g.gridClass === 'A' && parentOf.get(g.id) === parentOf.get(selectedId)),
    [allGrids, parentOf, selectedId],
  );
  const levelOptions = useMemo(() => [...new Set(allGrids.map((g) => g.level))].sort((a, b) => a - b), [allGrids]);
  const mapGrids = useMemo(
    () => allGrids.filter((g) => (level === 'all' || g.level === level) && classes.includes(g.gridClass)),
    [allGrids, level, classes],
  );

  // a grid chosen elsewhere than on the map (tree, link, URL) brings the map to it
  useEffect(() => {
    if (!grid) return;
    if (fromMap.current) {
      fromMap.current = false;
      return;
    }
    setFitTo({ bounds: grid.bbox as Bounds, key: `grid-${grid.id}` });
  }, [grid?.id]); // eslint-disable-line react-hooks/exhaustive-deps

  const select = (id: number, viaMap = false) => {
    if (edit) return;
    fromMap.current = viaMap;
    setShownVersion(null);
    setProblems(null);
    setParams(id ? { id: String(id) } : {}, { replace: false });
  };

  const startEdit = (mode: EditMode, initial: AreaGeometry | null, refit = true) => {
    sessionNo.current += 1;
    setEdit({ mode, session: sessionNo.current, initial });
    setEditState(null);
    setProblems(null);
    setShownVersion(null);
    if (grid && refit) setFitTo({ bounds: grid.bbox as Bounds, key: `edit-${sessionNo.current}` });
  };
  const stopEdit = () => {
    setEdit(null);
    setEditState(null);
    setProblems(null);
    setSplitOpen(false);
  };
  useEffect(() => stopEdit(), [selectedId]);

  const onFinish = () => {
    if (!edit || !editState) return;
    if (edit.mode === 'draw' && editState.geometry) startEdit('vertices', editState.geometry, false);
    if (edit.mode === 'split' && editState.points.length >= 2) setSplitOpen(true);
  };

  const onFinishRef = useRef(onFinish);
  onFinishRef.current = onFinish;
  const shapes: MapShape[] = useMemo(
    () => (shownVersion ? [{ id: 'version', kind: 'version', geometry: shownVersion.geometry as AreaGeometry }] : []),
    [shownVersion],
  );
  const mapEditor: MapEditor | null = edit ? { ...edit, onChange: setEditState, onFinish: () => onFinishRef.current() } : null;

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={7}>
        <Card
          title={t('grids.treeTitle')}
          extra={
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('grids.gridCount', { count: tree.data?.gridCount ?? 0 })}
            </Typography.Text>
          }
          styles={{ body: { padding: 12 } }}
        >
          <GridTreePanel tree={tree.data} loading={tree.isLoading} selectedId={selectedId} onSelect={(id) => select(id)} height={700} />
        </Card>
      </Col>
      <Col xs={24} xl={17}>
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Card
            title={t('grids.title')}
            extra={
              <Space wrap size={8}>
                <Button icon={<RadarChartOutlined />} onClick={() => navigate('/grids/coverage')} data-testid="grids-to-coverage">
                  <span className="gw-hide-xs">{t('menu.gridCoverage')}</span>
                </Button>
                {admin && (
                  <Button icon={<CloudUploadOutlined />} onClick={() => navigate('/grids/import')} data-testid="grids-to-import">
                    <span className="gw-hide-xs">{t('menu.gridImport')}</span>
                  </Button>
                )}
                <Button
                  icon={<ReloadOutlined />}
                  aria-label={t('common.reload')}
                  onClick={() => {
                    void tree.refetch();
                    void collection.refetch();
                    if (selectedId) void detail.refetch();
                  }}
                />
              </Space>
            }
            styles={{ body: { padding: 12 } }}
          >
            <div className="gw-map-toolbar">
              <Segmented<number | 'all'>
                size="small"
                value={level}
                onChange={setLevel}
                options={[
                  { value: 'all', label: t('grids.allLevels') },
                  ...levelOptions.map((l) => ({ value: l, label: t('grids.levelN', { level: l }) })),
                ]}
                data-testid="grid-level-filter"
              />
              <Space size={4} wrap>
                {CLASSES.map((c) => (
                  <Tag.CheckableTag
                    key={c}
                    checked={classes.includes(c)}
                    onChange={(on) => setClasses(on ? [...classes, c] : classes.filter((x) => x !== c))}
                    data-testid={`grid-class-filter-${c}`}
                    style={{
                      border: `1px solid ${classes.includes(c) ? CLASS_COLORS[c] : '#d9d9d9'}`,
                      background: classes.includes(c) ? `${CLASS_COLORS[c]}14` : 'transparent',
                      color: classes.includes(c) ? '#1f1f1f' : '#8c8c8c',
                    }}
                  >
                    <span className="gw-legend-swatch" style={{ background: CLASS_COLORS[c] }} />
                    {t(`grids.class.${c}`)}
                  </Tag.CheckableTag>
                ))}
              </Space>
            </div>
            {edit && grid && (
              <EditBar
                grid={grid}
                neighbours={grid.gridClass === 'A' ? neighbours : []}
                edit={edit}
                state={editState}
                problems={problems}
                setProblems={setProblems}
                onRestart={() => startEdit(edit.mode, edit.initial, false)}
                onFinishDrawing={onFinish}
                onSplit={() => setSplitOpen(true)}
                onDone={stopEdit}
                onLocate={(lng, lat) => setFitTo({ bounds: [lng - 0.002, lat - 0.0016, lng + 0.002, lat + 0.0016], key: `at-${lng}-${lat}-${Date.now()}` })}
              />
            )}
            <Suspense fallback={<Skeleton.Node active style={{ width: '100%', height: 480 }} />}>
              <GridAdminMap
                grids={mapGrids}
                selectedId={selectedId}
                onSelect={(id) => select(id, true)}
                shapes={shapes}
                fitTo={fitTo}
                editor={mapEditor}
                height={480}
              />
            </Suspense>
          </Card>
          <Card title={t('grids.detailTitle')} styles={{ body: { paddingTop: 12 } }}>
            {!selectedId ? (
              <Empty description={t('grids.pickHint')} />
            ) : !grid ? (
              <Skeleton active />
            ) : (
              <GridDetailPanel
                grid={grid}
                admin={admin}
                editing={!!edit}
                shownVersion={shownVersion?.version ?? null}
                onShowVersion={(v) => {
                  setShownVersion(v);
                  if (v) {
                    const b = boundsOf([v.geometry, grid.geometry]);
                    if (b) setFitTo({ bounds: b, key: `version-${grid.id}-${v.version}` });
                  }
                }}
                onSelectGrid={(id) => select(id)}
                onEdit={(mode) => startEdit(mode, mode === 'vertices' ? (grid.geometry as AreaGeometry) : null)}
              />
            )}
          </Card>
        </Space>
      </Col>
      {splitOpen && edit?.mode === 'split' && grid && editState && (
        <SplitDialog
          grid={grid}
          line={editState.points}
          onClose={() => setSplitOpen(false)}
          onProblems={(p) => {
            setProblems(p);
            setSplitOpen(false);
          }}
          onDone={(firstId) => {
            stopEdit();
            if (firstId) setParams({ id: String(firstId) });
          }}
        />
      )}
    </Row>
  );
}
