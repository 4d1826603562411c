// The console shell: header with navigation and the live indicator, the API
// key prompt (the key is kept in sessionStorage for the browser session), and
// the router that picks a view from the URL.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, ASK_KEY_EVENT } from './client.ts';
import { onConnectionState, type ConnectionState } from './live.ts';
import { Link, useLocation } from './nav.tsx';
import { href, type Route } from './router.ts';
import { Empty } from './components/states.tsx';
import { ExperimentsView } from './views/experiments/index.tsx';
import { RunsView } from './views/runs/index.tsx';
import { RunView } from './views/run/index.tsx';
import { CompareView } from './views/compare/index.tsx';
import { RegistryView } from './views/registry/index.tsx';
import { ModelView } from './views/model/index.tsx';
import { HealthView } from './views/health/index.tsx';
import { DriftView } from './views/drift/index.tsx';

function LiveIndicator() {
  const [state, setState] = useState<{ state: ConnectionState; words?: string }>({ state: 'idle' });
  useEffect(() => onConnectionState((s, words) => setState({ state: s, words })), []);
  const label = state.state === 'idle' ? 'no live view' : state.state;
  return (
    <span class={`live-state live-${state.state}`} data-testid="live-state" data-state={state.state} title={state.words ?? 'Server-Sent Events from the gateway'}>
      <span class="dot" aria-hidden="true" />
      {label}
    </span>
  );
}

function KeyPrompt(props: { onDone: () => void; canCancel: boolean }) {
  const [value, setValue] = useState('');
  return (
    <form
      class="key-form"
      data-testid="key-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!value.trim()) return;
        api.setKey(value.trim());
        props.onDone();
      }}
    >
      <h1>API key</h1>
      <p>
        The console calls the gateway's API with your key (scope <code>read</code> is enough). It is kept for this browser session only. On a local stack without
        MLSTREAM_GATEWAY_API_KEYS the key is <code>mlstream-dev-key</code>.
      </p>
      <input id="api-key" data-testid="key-input" type="password" autocomplete="off" value={value} onInput={(e) => setValue((e.currentTarget as HTMLInputElement).value)} placeholder="API key" autoFocus />
      <button type="submit" data-testid="key-submit">
        Use key
      </button>
      {props.canCancel && (
        <button type="button" onClick={props.onDone}>
          Cancel
        </button>
      )}
    </form>
  );
}

function viewOf(route: Route, query: URLSearchParams) {
  switch (route.view) {
    case 'experiments':
      return <ExperimentsView route={route} query={query} />;
    case 'runs':
      return <RunsView route={route} query={query} />;
    case 'run':
      return <RunView route={route} query={query} />;
    case 'compare':
      return <CompareView route={route} query={query} />;
    case 'registry':
      return <RegistryView route={route} query={query} />;
    case 'model':
      return <ModelView route={route} query={query} />;
    case 'health':
      return <HealthView route={route} query={query} />;
    case 'drift':
      return <DriftView route={route} query={query} />;
    case 'not-found':
      return (
        <Empty>
          No console page at <code>{route.path}</code>. <Link href={href({ view: 'experiments' })}>Go to experiments</Link>.
        </Empty>
      );
  }
}

function App() {
  const { route, query } = useLocation();
  const [askKey, setAskKey] = useState(!api.key());
  const [keyVersion, setKeyVersion] = useState(0);
  useEffect(() => {
    const open = () => setAskKey(true);
    window.addEventListener(ASK_KEY_EVENT, open);
    return () => window.removeEventListener(ASK_KEY_EVENT, open);
  }, []);
  const section = route.view === 'registry' || route.view === 'model' || route.view === 'health' || route.view === 'drift' ? 'registry' : 'runs';
  return (
    <div class="shell">
      <header class="topbar">
        <Link href={href({ view: 'experiments' })} class="brand">
          mlstream
        </Link>
        <nav>
          <Link href={href({ view: 'experiments' })} class={section === 'runs' ? 'active' : ''} testid="nav-runs">
            Runs
          </Link>
          <Link href={href({ view: 'registry' })} class={section === 'registry' ? 'active' : ''} testid="nav-registry">
            Registry
          </Link>
        </nav>
        <span class="spacer" />
        <LiveIndicator />
        <button type="button" class="link" data-testid="key-button" onClick={() => setAskKey(true)}>
          API key
        </button>
      </header>
      <main class="content" key={keyVersion}>
        {askKey ? (
          <KeyPrompt
            canCancel={Boolean(api.key())}
            onDone={() => {
              setAskKey(false);
              setKeyVersion((v) => v + 1);
            }}
          />
        ) : (
          viewOf(route, query)
        )}
      </main>
    </div>
  );
}

render(<App />, document.getElementById('app')!);
