import { useState } from 'preact/hooks';
import * as z from 'zod/mini';
import { formatCount, formatTime } from '../kit/format';
import { PagedTable, type Column } from '../kit/paged-table';
import { useApi } from '../kit/use-api';
import './console-pages.css';
import type { PageProps } from './page-entry';

const SummarySchema = z.object({ name: z.string(), type: z.string(), columns: z.number(), partitionKeys: z.array(z.string()), partitions: z.number(), location: z.string(), updated: z.optional(z.string()), records: z.optional(z.number()) });
const ChangeSchema = z.object({ time: z.string(), zone: z.string(), crawler: z.string(), database: z.string(), table: z.string(), addedColumns: z.array(z.object({ name: z.string(), type: z.string() })) });
const CatalogSchema = z.object({ databases: z.array(z.object({ name: z.string(), description: z.optional(z.string()), tables: z.array(SummarySchema) })), changes: z.array(ChangeSchema) });
const PartitionSchema = z.object({ values: z.array(z.string()), location: z.string(), created: z.optional(z.string()) });
const TableSchema = z.object({
  table: z.extend(SummarySchema, { database: z.string(), columnList: z.array(z.object({ name: z.string(), type: z.string(), partitionKey: z.boolean() })), partitionList: z.array(PartitionSchema), viewSql: z.optional(z.string()) }),
  changes: z.array(ChangeSchema),
});

type Partition = z.infer<typeof PartitionSchema>;
const PAGE = 12;

/** The table chosen by `#/catalog/<database>.<table>`, else the first refined table, else the first table. */
function chosenTable(subPath: string, catalog: z.infer<typeof CatalogSchema> | undefined): { database: string; table: string } | undefined {
  const m = /^([^./]+)\.([^./]+)$/.exec(decodeURIComponent(subPath));
  if (m) return { database: m[1] ?? '', table: m[2] ?? '' };
  const refined = catalog?.databases.find((d) => d.name.endsWith('_refined') && d.tables.length > 0) ?? catalog?.databases.find((d) => d.tables.length > 0);
  const first = refined?.tables[0];
  return refined && first ? { database: refined.name, table: first.name } : undefined;
}

/** One table: its columns and types (partition keys marked), partitions, view SQL and schema changes. */
function TablePanel(props: { database: string; table: string }) {
  const detail = useApi(`/api/catalog/${encodeURIComponent(props.database)}/${encodeURIComponent(props.table)}`, TableSchema);
  const [offset, setOffset] = useState(0);
  const t = detail.data?.table;
  if (detail.error) return <div class="panel"><p class="error">{detail.error}</p></div>;
  if (!t) return <div class="panel"><p class="muted">loading…</p></div>;
  const keys = t.partitionKeys;
  const partitionColumns: readonly Column<Partition>[] = [
    ...keys.map((k, i) => ({ title: k, className: 'mono', cell: (p: Partition) => p.values[i] ?? '' })),
    { title: 'Location', cell: (p: Partition) => <span class="mono truncate" title={p.location}>{p.location}</span> },
    { title: 'Created', className: 'nowrap', cell: (p: Partition) => <span class="mono">{formatTime(p.created)}</span> },
  ];
  return (
    <div class="panel" aria-label="table detail">
      <div class="toolbar">
        <h2 style={{ margin: 0 }}>{t.database}.{t.name}</h2>
        <span class={`badge ${t.type === 'VIRTUAL_VIEW' ? 'badge-view' : ''}`}>{t.type === 'VIRTUAL_VIEW' ? 'view' : 'table'}</span>
      </div>
      <dl class="kv" style={{ marginTop: '10px' }}>
        <dt>Location</dt><dd class="mono">{t.location || '—'}</dd>
        {t.records !== undefined ? <><dt>Rows (crawler estimate)</dt><dd>{formatCount(t.records)}</dd></> : null}
        <dt>Updated</dt><dd>{formatTime(t.updated)}</dd>
      </dl>
      <div class="cols-2">
        <div>
          <h3>Columns ({t.columnList.length})</h3>
          <table class="data" aria-label="columns">
            <thead><tr><th>Name</th><th>Type</th><th></th></tr></thead>
            <tbody>
              {t.columnList.map((c) => (
                <tr><td class="mono">{c.name}</td><td class="mono">{c.type}</td><td>{c.partitionKey ? <span class="badge badge-key">partition key</span> : null}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
        <div>
          <h3>Schema changes</h3>
          {detail.data?.changes.length === 0 ? <p class="muted">No crawl has added columns to this table.</p> : null}
          <ul class="changes" aria-label="schema changes">
            {(detail.data?.changes ?? []).map((c, i) => (
              <li>
                <div class="toolbar"><span class="mono muted">{formatTime(c.time)}</span><span class="badge">{c.zone} crawl</span><span class="muted">{i === 0 ? 'created with' : 'added'} {c.addedColumns.length} column(s)</span></div>
                <div style={{ marginTop: '4px' }}>{c.addedColumns.map((a) => <code>{a.name} {a.type}</code>)}</div>
              </li>
            ))}
          </ul>
          {t.viewSql ? <><h3>View SQL</h3><pre class="json">{t.viewSql}</pre></> : null}
        </div>
      </div>
      {keys.length > 0 ? (
        <>
          <h3>Partitions ({formatCount(t.partitionList.length)})</h3>
          <PagedTable label="partitions" rows={t.partitionList.slice(offset, offset + PAGE)} columns={partitionColumns} rowKey={(p) => p.values.join('/')} total={t.partitionList.length} offset={offset} limit={PAGE} onPage={setOffset} empty="No partitions yet." />
        </>
      ) : null}
    </div>
  );
}

/**
 * Catalog: the Glue-shaped catalog the crawlers keep — databases, tables and views with their
 * columns and types, partitions, and the columns each crawl added over time. `#/catalog/<db>.<table>`
 * opens a table.
 */
export function CatalogPage(props: PageProps) {
  const catalog = useApi('/api/catalog', CatalogSchema);
  const chosen = chosenTable(props.subPath, catalog.data);
  return (
    <section>
      <div class="page-head">
        <h1>Catalog</h1>
        <span class="muted">{catalog.data ? `${catalog.data.databases.length} databases · ${catalog.data.databases.reduce((n, d) => n + d.tables.length, 0)} tables and views · ${catalog.data.changes.length} schema changes` : 'loading…'}</span>
      </div>
      {catalog.error ? <p class="error">{catalog.error}</p> : null}
      <div class="grid-2" style={{ gridTemplateColumns: 'minmax(300px, 0.6fr) minmax(0, 1.6fr)' }}>
        <div class="panel">
          <ul class="tree" aria-label="databases">
            {(catalog.data?.databases ?? []).map((db) => (
              <li>
                <div class="db">{db.name}<span class="muted" style={{ fontWeight: 400, fontSize: '12px' }}>{db.description ?? ''}</span></div>
                <ul>
                  {db.tables.map((t) => (
                    <li class={chosen?.database === db.name && chosen.table === t.name ? 'selected' : ''} onClick={() => (window.location.hash = `#/catalog/${db.name}.${t.name}`)}>
                      <span class="name mono">{t.name}</span>
                      {t.type === 'VIRTUAL_VIEW' ? <span class="badge badge-view">view</span> : null}
                      <span class="facts">{t.columns} cols{t.partitionKeys.length > 0 ? ` · ${formatCount(t.partitions)} partitions` : ''}{t.records !== undefined ? ` · ${formatCount(t.records)} rows` : ''}</span>
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </div>
        {chosen ? <TablePanel key={`${chosen.database}.${chosen.table}`} database={chosen.database} table={chosen.table} /> : <div class="panel"><p class="muted">The catalog is empty: nothing has been crawled yet.</p></div>}
      </div>
    </section>
  );
}
