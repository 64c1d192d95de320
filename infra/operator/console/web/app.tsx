import { useEffect, useState } from 'preact/hooks';
import * as z from 'zod/mini';
import { useApi } from './kit/use-api';
import { controlToken } from './kit/token';
import { pages } from './pages';

const HealthSchema = z.object({ home: z.string(), at: z.string() });

/** The current hash route: `#/<page>/<sub-path>[?<page's query>]` (a page reads its own query from the hash). */
function currentRoute(): { page: string; subPath: string } {
  const [page = '', ...rest] = (window.location.hash.replace(/^#\/?/, '').split('?')[0] ?? '').split('/');
  return { page, subPath: rest.map((s) => decodeURIComponent(s)).join('/') };
}

/** Whether this tab's token is accepted: `undefined` while asking, false without one or when refused. */
function useActionsEnabled(): boolean | undefined {
  const [enabled, setEnabled] = useState<boolean | undefined>(controlToken() === undefined ? false : undefined);
  useEffect(() => {
    const token = controlToken();
    if (token === undefined) return;
    fetch('/api/session', { headers: { authorization: `Bearer ${token}` } }).then(
      (r) => setEnabled(r.ok),
      () => setEnabled(false),
    );
  }, []);
  return enabled;
}

/** The console shell: the header with the nav of `pages`, and the page the hash route names. */
export function App() {
  const [route, setRoute] = useState(currentRoute());
  useEffect(() => {
    const onHash = (): void => setRoute(currentRoute());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const health = useApi('/api/health', HealthSchema);
  const actions = useActionsEnabled();
  const entry = pages.find((p) => p.path === route.page) ?? pages[0];
  const aws = health.data?.home.startsWith('aws:') ?? false;
  useEffect(() => {
    document.title = entry ? `${entry.title} · Tributary` : 'Tributary';
  }, [entry]);
  return (
    <div class="shell">
      <header class="topbar">
        <div class="brand">
          <span class="logo" aria-hidden="true">≋</span>
          <span>Tributary</span>
        </div>
        <nav aria-label="pages">
          {pages.map((p) => (
            <a href={`#/${p.path}`} class={p === entry ? 'active' : ''} aria-current={p === entry ? 'page' : undefined}>{p.title}</a>
          ))}
        </nav>
        <div class="session">
          {health.data ? <span class="home" title="home">{health.data.home}</span> : null}
          <span class={`pill ${actions ? 'pill-on' : 'pill-off'}`} data-testid="session">{actions === undefined ? '…' : actions ? 'actions enabled' : 'read-only'}</span>
        </div>
      </header>
      <main class="content">
        {!entry ? <p>No pages.</p> : aws && entry.awsNote ? (
          <section>
            <div class="page-head"><h1>{entry.title}</h1></div>
            <div class="panel"><p class="muted" role="note" data-testid="aws-note">{entry.awsNote}</p></div>
          </section>
        ) : <entry.component subPath={route.subPath} aws={aws} />}
      </main>
    </div>
  );
}
