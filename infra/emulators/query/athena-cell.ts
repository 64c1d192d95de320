import { DuckDBListValue, DuckDBMapValue, DuckDBStructValue, type DuckDBValue } from '@duckdb/node-api';

/**
 * Renders a DuckDB value as Athena renders it in GetQueryResults: doubles as Java prints them
 * (`20.0`, `1.0E7`), timestamps with milliseconds (and ` UTC` for a zoned one), arrays `[a, b]`,
 * maps `{k=v}`, rows `{x=1, y=z}`, NULL as undefined (no VarCharValue).
 */
export function athenaCell(value: DuckDBValue, type: string): string | undefined {
  if (value === null) return undefined;
  return render(value, type);
}

function render(value: DuckDBValue, type: string): string {
  if (value === null) return 'null';
  if (value instanceof DuckDBListValue) return `[${value.items.map((v) => render(v, elementType(type))).join(', ')}]`;
  if (value instanceof DuckDBMapValue) return `{${value.entries.map((e) => `${render(e.key, '')}=${render(e.value, '')}`).join(', ')}}`;
  if (value instanceof DuckDBStructValue) return `{${Object.entries(value.entries).map(([k, v]) => `${k}=${render(v, '')}`).join(', ')}}`;
  if (typeof value === 'number' && (type === 'DOUBLE' || type === 'FLOAT' || type === '')) return Number.isInteger(value) && type === '' ? String(value) : javaDouble(value);
  const text = String(value);
  if (type === 'TIMESTAMP' || type === 'TIMESTAMP WITH TIME ZONE') {
    const m = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})(?:\.(\d+))?(.*)$/.exec(text);
    if (m) return `${m[1]}.${(m[2] ?? '').padEnd(3, '0').slice(0, 3)}${m[3] === '+00' ? ' UTC' : (m[3] ?? '')}`;
  }
  return text;
}

function elementType(type: string): string {
  return type.endsWith('[]') ? type.slice(0, -2) : '';
}

/** Java's Double.toString, which Trino uses: `20.0`, `0.001`, `1.0E7`, `1.5E-4`, `NaN`, `Infinity`. */
export function javaDouble(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  const abs = Math.abs(value);
  if (abs === 0 || (abs >= 1e-3 && abs < 1e7)) {
    const text = String(value);
    return text.includes('.') || text.includes('e') ? text : `${text}.0`;
  }
  const [mantissa = '0', exponent = '0'] = value.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}
