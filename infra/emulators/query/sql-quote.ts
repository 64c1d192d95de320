/** Quotes a value as a SQL string literal (single quotes doubled); the one way values enter engine-built SQL. */
export function sqlLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Quotes a name as a SQL identifier (double quotes doubled), so any catalog name is safe in DuckDB SQL. */
export function sqlIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
