// The command map's layers panel: base map, grid level and colouring with its legend, B/C grids, cases (colouring,
// open only), the heatmap, the enterprises (risk level, open hazards, industry) and the points of interest by type.
import { Button, Card, Checkbox, Divider, Input, Segmented, Space, Switch, Typography } from 'antd';
import { MenuFoldOutlined, MenuUnfoldOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { POI_TYPES, type PoiType } from '../../../../../src/shared/map-api';
import { LOAD_COLOURS, POI_COLOURS, RISK_COLOURS, STATE_COLOURS, WARNING_COLOURS, type CaseColouring, type GridColouring } from '../../../components/command/mapStyle';
import { Legend } from './Legend';
import type { Level } from './mapView';
import type { Layers, RiskLevel } from './useLayers';

interface Props {
  layers: Layers;
  /** a base map is configured (the switch to hide it is offered) */
  basemapShown: boolean;
  /** open cases from which a grid (or community) counts as busy */
  busyFrom: number;
  /** points of interest per type, once loaded */
  poiCounts: Partial<Record<PoiType, number>> | null;
  poiUnavailable: boolean;
  /** enterprises on the map, once loaded */
  enterpriseCount: number | null;
  /** the level changed (the selection is dropped) */
  onLevel: () => void;
}

export function LayersPanel({ layers, basemapShown, busyFrom, poiCounts, poiUnavailable, enterpriseCount, onLevel }: Props) {
  const { t } = useTranslation();
  const { layersOpen, setLayersOpen, showBase, setShowBase, gridMode, setGridMode, level, setLevel, caseMode, setCaseMode, showCases, setShowCases, openOnly, setOpenOnly, showHeat, setShowHeat, showB, setShowB, showC, setShowC, poiTypes, setPoiTypes, showEnt, setShowEnt, entRisk, setEntRisk, entOpen, setEntOpen, entIndustry, setEntIndustry } = layers;
  return (
    <Card size="small" className="gw-cmd-layers" data-testid="cmd-layers" style={layersOpen ? undefined : { width: 'auto' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Text strong>{t('cmd.layers')}</Typography.Text>
        <Button
          size="small"
          type="text"
          icon={layersOpen ? <MenuFoldOutlined /> : <MenuUnfoldOutlined />}
          onClick={() => setLayersOpen(!layersOpen)}
          data-testid="cmd-layers-toggle"
        />
      </Space>
      {layersOpen && (
        <>
          {basemapShown && (
            <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 4 }}>
              <h4 style={{ margin: 0 }}>{t('fd.baseLayer')}</h4>
              <Switch size="small" checked={showBase} onChange={setShowBase} data-testid="cmd-basemap" />
            </Space>
          )}
          <h4>{t('cmd.grids')}</h4>
          <Segmented<Level>
            size="small"
            block
            value={level}
            onChange={(l) => {
              setLevel(l);
              onLevel();
            }}
            style={{ marginBottom: 6 }}
            data-testid="cmd-level"
            options={[
              { value: 'grid', label: t('cmd.levelGrid') },
              { value: 'community', label: t('cmd.levelCommunity') },
            ]}
          />
          <Segmented<GridColouring>
            size="small"
            block
            value={gridMode}
            onChange={setGridMode}
            data-testid="cmd-grid-mode"
            options={[
              { value: 'open', label: t('cmd.byOpen') },
              { value: 'overdue', label: t('cmd.byOverdue') },
            ]}
          />
          <div style={{ marginTop: 6 }}>
            <Legend
              items={
                gridMode === 'open'
                  ? [
                      { colour: LOAD_COLOURS.green, label: t('cmd.loadLevel.green') },
                      { colour: LOAD_COLOURS.yellow, label: t('cmd.loadLevel.yellow') },
                      { colour: LOAD_COLOURS.orange, label: t('cmd.loadLevel.orange', { n: busyFrom }) },
                    ]
                  : [
                      { colour: LOAD_COLOURS.green, label: t('cmd.overdueLevel.none') },
                      { colour: LOAD_COLOURS.orange, label: t('cmd.overdueLevel.few') },
                      { colour: LOAD_COLOURS.red, label: t('cmd.overdueLevel.many') },
                    ]
              }
            />
          </div>
          <Checkbox checked={showB} onChange={(e) => setShowB(e.target.checked)} data-testid="cmd-grid-b">
            {t('cmd.gridClassB')}
          </Checkbox>
          <br />
          <Checkbox checked={showC} onChange={(e) => setShowC(e.target.checked)} data-testid="cmd-grid-c">
            {t('cmd.gridClassC')}
          </Checkbox>

          <Divider style={{ margin: '10px 0' }} />
          <Space style={{ width: '100%', justifyContent: 'space-between' }}>
            <h4 style={{ margin: 0 }}>{t('cmd.cases')}</h4>
            <Switch size="small" checked={showCases} onChange={setShowCases} data-testid="cmd-cases" />
          </Space>
          {showCases && (
            <>
              <Segmented<CaseColouring>
                size="small"
                block
                value={caseMode}
                onChange={setCaseMode}
                style={{ margin: '6px 0' }}
                data-testid="cmd-case-mode"
                options={[
                  { value: 'state', label: t('cmd.byState') },
                  { value: 'warning', label: t('cmd.byWarning') },
                ]}
              />
              <Checkbox checked={openOnly} onChange={(e) => setOpenOnly(e.target.checked)} data-testid="cmd-open-only">
                {t('cmd.openOnly')}
              </Checkbox>
              <Legend
                items={
                  caseMode === 'warning'
                    ? (['green', 'yellow', 'red'] as const).map((w) => ({ colour: WARNING_COLOURS[w], label: t(`warning.${w}`), dot: true }))
                    : (['reported', 'accepted', 'dispatched', 'in_progress', 'handled', 'verified', 'closed'] as const).map((s) => ({
                        colour: STATE_COLOURS[s]!,
                        label: t(`state.${s}`),
                        dot: true,
                      }))
                }
              />
            </>
          )}
          <Divider style={{ margin: '10px 0' }} />
          <Space style={{ width: '100%', justifyContent: 'space-between' }}>
            <h4 style={{ margin: 0 }}>{t('cmd.heat')}</h4>
            <Switch size="small" checked={showHeat} onChange={setShowHeat} data-testid="cmd-heat" />
          </Space>
          <Divider style={{ margin: '10px 0' }} />
          <Space style={{ width: '100%', justifyContent: 'space-between' }}>
            <h4 style={{ margin: 0 }}>
              {t('ent.mapLayer')}
              {showEnt && enterpriseCount !== null && <Typography.Text type="secondary" data-testid="cmd-ent-count"> {t('ent.mapCount', { n: enterpriseCount })}</Typography.Text>}
            </h4>
            <Switch size="small" checked={showEnt} onChange={setShowEnt} data-testid="cmd-enterprises" />
          </Space>
          {showEnt && (
            <div data-testid="cmd-ent-filters">
              <Checkbox.Group<RiskLevel>
                value={entRisk}
                onChange={setEntRisk}
                data-testid="cmd-ent-risk"
                options={(['high', 'medium', 'low'] as const).map((r) => ({
                  value: r,
                  label: (
                    <span data-testid={`cmd-ent-risk-${r}`}>
                      <span className="gw-swatch" style={{ background: RISK_COLOURS[r] }} />
                      {t(`hz.risk.${r}`)}
                    </span>
                  ),
                }))}
              />
              <Checkbox checked={entOpen} onChange={(e) => setEntOpen(e.target.checked)} data-testid="cmd-ent-open">
                {t('ent.mapOpenOnly')}
              </Checkbox>
              <Input size="small" allowClear value={entIndustry} onChange={(e) => setEntIndustry(e.target.value.trim())} placeholder={t('ent.mapIndustry')} style={{ marginTop: 4 }} data-testid="cmd-ent-industry" />
            </div>
          )}
          <Divider style={{ margin: '10px 0' }} />
          <h4>{t('cmd.poi')}</h4>
          <Checkbox.Group<PoiType>
            value={poiTypes}
            onChange={setPoiTypes}
            style={{ display: 'flex', flexDirection: 'column', gap: 2 }}
            data-testid="cmd-poi"
            options={POI_TYPES.map((p) => ({
              value: p,
              label: (
                <span data-testid={`cmd-poi-${p}`}>
                  <span className="gw-swatch ring" style={{ borderColor: POI_COLOURS[p] }} />
                  {t(`cmd.poiTypes.${p}`)}
                  {poiCounts && <Typography.Text type="secondary"> {poiCounts[p] ?? 0}</Typography.Text>}
                </span>
              ),
            }))}
          />
          {poiUnavailable && (
            <Typography.Text type="warning" style={{ fontSize: 12 }} data-testid="cmd-poi-unavailable">
              {t('cmd.poiUnavailable')}
            </Typography.Text>
          )}
        </>
      )}
    </Card>
  );
}
