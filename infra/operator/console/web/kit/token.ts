const KEY = 'tributary.console.token';

/**
 * Moves a token given in the URL fragment (`#token=<hex>`, as `tributary console` prints it) to
 * sessionStorage and out of the address bar, so it is neither sent to the server in a URL nor left in
 * history; returns the route part of the fragment that was left.
 */
export function adoptTokenFromFragment(): void {
  const m = /^#token=([0-9a-f]+)(.*)$/.exec(window.location.hash);
  if (!m) return;
  sessionStorage.setItem(KEY, m[1] ?? '');
  const rest = m[2] ?? '';
  history.replaceState(null, '', `${window.location.pathname}${rest.startsWith('#') ? rest : '#/'}`);
}

/** The control token of this tab, if the page was opened with one. */
export function controlToken(): string | undefined {
  return sessionStorage.getItem(KEY) ?? undefined;
}
