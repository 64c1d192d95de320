import type { ComponentChildren } from 'preact';

/** One column: its header and how to render a row's cell. */
export interface Column<Row> {
  readonly title: string;
  readonly cell: (row: Row) => ComponentChildren;
  readonly className?: string;
}

/**
 * A table of one server-side page of rows, with a pager (`offset`, `limit`, `total`). Only the page is
 * ever in the DOM, so a list of 10,000 rows costs what 50 do. `onRow` makes rows clickable; `selected`
 * highlights one.
 */
export function PagedTable<Row>(props: {
  rows: readonly Row[];
  columns: readonly Column<Row>[];
  rowKey: (row: Row) => string;
  total: number;
  offset: number;
  limit: number;
  onPage: (offset: number) => void;
  onRow?: (row: Row) => void;
  selected?: string;
  empty?: string;
  label: string;
}) {
  const { rows, columns, total, offset, limit } = props;
  const last = Math.min(offset + rows.length, total);
  return (
    <div class="table-wrap">
      <table class="data" aria-label={props.label}>
        <thead>
          <tr>{columns.map((c) => <th class={c.className}>{c.title}</th>)}</tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr><td class="empty" colSpan={columns.length}>{props.empty ?? 'Nothing to show.'}</td></tr>
          ) : (
            rows.map((row) => {
              const key = props.rowKey(row);
              return (
                <tr key={key} class={`${props.onRow ? 'clickable' : ''} ${props.selected === key ? 'selected' : ''}`} onClick={() => props.onRow?.(row)}>
                  {columns.map((c) => <td class={c.className}>{c.cell(row)}</td>)}
                </tr>
              );
            })
          )}
        </tbody>
      </table>
      <div class="pager">
        <span class="muted">{total === 0 ? '0' : `${offset + 1}–${last}`} of {total.toLocaleString()}</span>
        <button type="button" disabled={offset === 0} onClick={() => props.onPage(Math.max(0, offset - limit))}>‹ Newer</button>
        <button type="button" disabled={offset + limit >= total} onClick={() => props.onPage(offset + limit)}>Older ›</button>
      </div>
    </div>
  );
}
