import type { ChartConfiguration } from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';

/** chart.js, loaded with its first chart (a chunk of its own, so pages without charts do not wait for it). */
let chartJs: Promise<typeof import('chart.js')> | undefined;

function loadChartJs(): Promise<typeof import('chart.js')> {
  chartJs ??= import('chart.js').then((module) => {
    module.Chart.register(...module.registerables);
    module.Chart.defaults.font.family = 'Inter, "Segoe UI", system-ui, sans-serif';
    module.Chart.defaults.color = '#475569';
    module.Chart.defaults.borderColor = '#e2e8f0';
    return module;
  });
  return chartJs;
}

/**
 * A chart.js chart in a sized box: created on mount, replaced when `config` changes, destroyed on
 * unmount. `label` is the canvas's accessible name (tests find charts by it); `data-drawn` is set
 * once the chart is drawn.
 */
export function ChartView(props: { config: ChartConfiguration; height?: number; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    let chart: { destroy(): void } | undefined;
    let live = true;
    void loadChartJs().then(({ Chart }) => {
      if (!live || !canvas.current) return;
      chart = new Chart(canvas.current, { ...props.config, options: { responsive: true, maintainAspectRatio: false, animation: false, ...props.config.options } });
      canvas.current.dataset['drawn'] = 'true';
    });
    return () => {
      live = false;
      chart?.destroy();
    };
  }, [props.config]);
  return (
    <div class="chart-box" style={{ height: `${props.height ?? 260}px` }}>
      <canvas ref={canvas} role="img" aria-label={props.label} />
    </div>
  );
}
