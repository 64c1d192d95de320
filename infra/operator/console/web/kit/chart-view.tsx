import { Chart, registerables, type ChartConfiguration } from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';

Chart.register(...registerables);
Chart.defaults.font.family = 'Inter, "Segoe UI", system-ui, sans-serif';
Chart.defaults.color = '#475569';
Chart.defaults.borderColor = '#e2e8f0';

/**
 * A chart.js chart in a sized box: created on mount, replaced when `config` changes, destroyed on
 * unmount. `label` is the canvas's accessible name (tests find charts by it).
 */
export function ChartView(props: { config: ChartConfiguration; height?: number; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, { ...props.config, options: { responsive: true, maintainAspectRatio: false, animation: false, ...props.config.options } });
    return () => chart.destroy();
  }, [props.config]);
  return (
    <div class="chart-box" style={{ height: `${props.height ?? 260}px` }}>
      <canvas ref={canvas} role="img" aria-label={props.label} />
    </div>
  );
}
