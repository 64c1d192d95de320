import { splitTopLevel } from './split-top-level';

/**
 * Converts a Trino type as written in `CAST(x AS <type>)` to DuckDB's spelling: `array(T)` → `T[]`,
 * `map(K, V)` → `MAP(K, V)`, `row(a T, …)` → `STRUCT(a T, …)` (unnamed fields become `field0`, …),
 * `timestamp(p) [with time zone]` → `TIMESTAMP` / `TIMESTAMPTZ`, `varchar(n)`/`char(n)` → `VARCHAR`,
 * `real` → `FLOAT`, `varbinary` → `BLOB`. Anything else passes through for DuckDB to judge.
 */
export function trinoTypeToDuckDb(text: string): string {
  const type = text.trim();
  const open = type.indexOf('(');
  if (open === -1) return scalar(type);
  const close = matchingClose(type, open);
  if (close === -1) return type;
  const name = type.slice(0, open).trim().toLowerCase();
  const args = splitTopLevel(type.slice(open + 1, close)).filter((p) => p !== '');
  const rest = type.slice(close + 1).trim().toLowerCase();
  if (name === 'array' && args.length === 1) return `${trinoTypeToDuckDb(args[0] ?? '')}[]`;
  if (name === 'map' && args.length === 2) return `MAP(${trinoTypeToDuckDb(args[0] ?? '')}, ${trinoTypeToDuckDb(args[1] ?? '')})`;
  if (name === 'row') {
    const fields = args.map((field, i) => {
      const m = /^("(?:[^"]|"")*"|[A-Za-z_]\w*)\s+(.+)$/s.exec(field);
      return m?.[1] !== undefined && m[2] !== undefined ? `${m[1]} ${trinoTypeToDuckDb(m[2])}` : `field${i} ${trinoTypeToDuckDb(field)}`;
    });
    return `STRUCT(${fields.join(', ')})`;
  }
  if (name === 'timestamp') return rest === 'with time zone' ? 'TIMESTAMPTZ' : 'TIMESTAMP';
  if (name === 'varchar' || name === 'char') return 'VARCHAR';
  return type;
}

function scalar(type: string): string {
  const lower = type.toLowerCase().replace(/\s+/g, ' ');
  if (lower === 'timestamp with time zone') return 'TIMESTAMPTZ';
  if (lower === 'real') return 'FLOAT';
  if (lower === 'varbinary') return 'BLOB';
  return type;
}

function matchingClose(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    if (text[i] === ')' && --depth === 0) return i;
  }
  return -1;
}
