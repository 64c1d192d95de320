/** A run or stage status as a coloured pill (`succeeded` green, `failed` red, `running` blue…). */
export function StatusBadge(props: { status: string | undefined }) {
  const status = props.status ?? 'landed';
  return <span class={`badge badge-${status}`}>{status}</span>;
}
