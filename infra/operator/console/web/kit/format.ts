/** Milliseconds as a short duration: `850 ms`, `4.2 s`, `3 min 5 s`. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** An ISO instant as local `YYYY-MM-DD HH:MM:SS`. */
export function formatTime(iso: string | undefined): string {
  if (iso === undefined) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** A count with thousands separators. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** An ISO instant as a compact local `MM-DD HH:MM:SS` (`seconds: false`: `MM-DD HH:MM`), for narrow table columns. */
export function formatShortTime(iso: string | undefined, options: { seconds?: boolean } = {}): string {
  const full = formatTime(iso);
  return full.length === 19 ? full.slice(5, options.seconds === false ? 16 : 19) : full;
}
