// What the command map shows: the period, the grid level and colouring, the case, heat, B/C-grid and POI layers, the
// enterprise layer, the base map, and whether the layers panel is open. The period and the layers that make a view worth sharing stay in
// the URL (replaced, so the back button leaves the map).
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { POI_TYPES, type PoiType } from '../../../../../src/shared/map-api';
import type { Period } from '../../../components/command/commandApi';
import type { CaseColouring, GridColouring } from '../../../components/command/mapStyle';
import { presetPeriod } from '../../../components/command/PeriodPicker';
import { DAY, type Level } from './mapView';

export type RiskLevel = 'low' | 'medium' | 'high';

export function useLayers(params: URLSearchParams) {
  const [, setParams] = useSearchParams();
  const [showBase, setShowBase] = useState(true);
  const [layersOpen, setLayersOpen] = useState(() => window.innerWidth > 640);

  const [period, setPeriod] = useState<Period>(() => {
    const from = params.get('from');
    const to = params.get('to');
    return from && to && DAY.test(from) && DAY.test(to) ? { from, to } : presetPeriod('last30');
  });
  const [gridMode, setGridMode] = useState<GridColouring>('open');
  const [level, setLevel] = useState<Level>(params.get('level') === 'community' ? 'community' : 'grid');
  const [caseMode, setCaseMode] = useState<CaseColouring>('state');
  const [showCases, setShowCases] = useState(true);
  const [openOnly, setOpenOnly] = useState(false);
  const [showHeat, setShowHeat] = useState(params.get('heat') === '1');
  const [showB, setShowB] = useState(false);
  const [showC, setShowC] = useState(false);
  const [poiTypes, setPoiTypes] = useState<PoiType[]>(() => (params.get('poi') ?? '').split(',').filter((x): x is PoiType => (POI_TYPES as readonly string[]).includes(x)));
  // the enterprise layer: by risk level, with open hazards, by industry
  const [showEnt, setShowEnt] = useState(params.get('ent') === '1');
  const [entRisk, setEntRisk] = useState<RiskLevel[]>(['low', 'medium', 'high']);
  const [entOpen, setEntOpen] = useState(false);
  const [entIndustry, setEntIndustry] = useState('');

  useEffect(() => {
    const p = new URLSearchParams(params);
    p.set('from', period.from);
    p.set('to', period.to);
    if (level === 'community') p.set('level', 'community');
    else p.delete('level');
    if (showHeat) p.set('heat', '1');
    else p.delete('heat');
    if (poiTypes.length) p.set('poi', poiTypes.join(','));
    else p.delete('poi');
    if (showEnt) p.set('ent', '1');
    else p.delete('ent');
    if (p.toString() !== params.toString()) setParams(p, { replace: true });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [period, showHeat, poiTypes, level, showEnt]);

  return {
    layersOpen, setLayersOpen,
    showBase, setShowBase,
    period, setPeriod,
    gridMode, setGridMode,
    level, setLevel,
    caseMode, setCaseMode,
    showCases, setShowCases,
    openOnly, setOpenOnly,
    showHeat, setShowHeat,
    showB, setShowB,
    showC, setShowC,
    poiTypes, setPoiTypes,
    showEnt, setShowEnt,
    entRisk, setEntRisk,
    entOpen, setEntOpen,
    entIndustry, setEntIndustry,
  };
}

export type Layers = ReturnType<typeof useLayers>;
