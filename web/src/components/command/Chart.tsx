// ECharts (tree-shaken: line, bar, pie; grid, tooltip, legend) through echarts-for-react's core component.
import ReactEChartsCore from 'echarts-for-react/esm/core';
import * as echarts from 'echarts/core';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsOption } from 'echarts';

echarts.use([LineChart, BarChart, PieChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

export interface ChartClick {
  seriesIndex?: number;
  dataIndex: number;
  name: string;
}

interface Props {
  option: EChartsOption;
  height?: number | string;
  onClick?: (e: ChartClick) => void;
  testId?: string;
  theme?: 'dark';
}

export default function Chart({ option, height = 300, onClick, testId, theme }: Props) {
  return (
    <div data-testid={testId}>
      <ReactEChartsCore
        echarts={echarts}
        option={{ backgroundColor: 'transparent', ...option }}
        notMerge
        lazyUpdate
        theme={theme}
        style={{ height, width: '100%' }}
        onEvents={onClick ? { click: (e: ChartClick) => onClick(e) } : undefined}
        opts={{ renderer: 'canvas' }}
      />
    </div>
  );
}
