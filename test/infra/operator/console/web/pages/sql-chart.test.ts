import { resultChart } from '../../../../../../infra/operator/console/web/pages/sql-chart';

const columns = ['hour', 'sensor', 'speed'];
const rows = [
  ['2026-01-05 01:00:00.000', 'S2', '61.5'],
  ['2026-01-05 00:00:00.000', 'S1', '90'],
  ['2026-01-05 00:00:00.000', 'S2', '60'],
  ['2026-01-05 01:00:00.000', 'S1', null],
  ['2026-01-05 02:00:00.000', 'S1', 'n/a'],
];

describe('the SQL page chart', () => {
  it('splits rows into a dataset per series value and counts only the points it draws', () => {
    const chart = resultChart(columns, rows, { kind: 'line', x: 'hour', y: 'speed', series: 'sensor' });
    expect(chart.points).toBe(3);
    expect(chart.series).toEqual(['S2', 'S1']);
    expect(chart.config.data.labels).toEqual(['2026-01-05 00:00:00.000', '2026-01-05 01:00:00.000', '2026-01-05 02:00:00.000']);
    expect(chart.config.data.datasets.map((d) => d.data)).toEqual([[60, 61.5, null], [90, null, null]]);
  });

  it('puts a numeric x on a linear axis for scatter, and any x in row order for bar', () => {
    const scatter = resultChart(['x', 'y'], [['3', '1'], ['1', '2'], ['2', null]], { kind: 'scatter', x: 'x', y: 'y' });
    expect(scatter.points).toBe(2);
    expect(scatter.config.data.datasets[0]?.data).toEqual([{ x: 1, y: 2 }, { x: 3, y: 1 }]);
    const bar = resultChart(['s', 'n'], [['b', '2'], ['a', '1']], { kind: 'bar', x: 's', y: 'n' });
    expect(bar.config.data.labels).toEqual(['b', 'a']);
    expect(bar.points).toBe(2);
  });
});
