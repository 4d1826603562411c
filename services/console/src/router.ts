// Every console view has a URL under /ui: path segments name the view and its
// subject, the query string carries its state (filter, order, columns,
// selection, time range). Pure parsing/formatting here; main.tsx wires it to
// the history API.

export const BASE = '/ui';

export type Route =
  | { view: 'experiments' }
  | { view: 'runs'; experimentId: string }
  | { view: 'run'; runId: string }
  | { view: 'compare' }
  | { view: 'registry' }
  | { view: 'model'; model: string }
  | { view: 'health'; model: string }
  | { view: 'drift'; model: string }
  | { view: 'not-found'; path: string };

export type ViewName = Route['view'];

export interface Location {
  route: Route;
  /** Query parameters of the URL (view state). */
  query: URLSearchParams;
}

const seg = (s: string) => encodeURIComponent(s);

/** The path of a route (no query string). */
export function pathOf(route: Route): string {
  switch (route.view) {
    case 'experiments':
      return `${BASE}/experiments`;
    case 'runs':
      return `${BASE}/experiments/${seg(route.experimentId)}`;
    case 'run':
      return `${BASE}/runs/${seg(route.runId)}`;
    case 'compare':
      return `${BASE}/compare`;
    case 'registry':
      return `${BASE}/models`;
    case 'model':
      return `${BASE}/models/${seg(route.model)}`;
    case 'health':
      return `${BASE}/models/${seg(route.model)}/health`;
    case 'drift':
      return `${BASE}/models/${seg(route.model)}/drift`;
    case 'not-found':
      return route.path;
  }
}

/** The full href of a route with its query (empty values are left out, keys sorted for stable URLs). */
export function href(route: Route, query: Record<string, string | number | undefined | null> | URLSearchParams = {}): string {
  const entries = query instanceof URLSearchParams ? [...query.entries()] : Object.entries(query);
  const kept = entries.filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== null && e[1] !== '').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const qs = new URLSearchParams(kept.map(([k, v]) => [k, String(v)])).toString();
  return qs ? `${pathOf(route)}?${qs}` : pathOf(route);
}

const decode = (s: string): string | undefined => {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
};

/** The route a pathname (under /ui) names; unknown paths give `not-found`. */
export function parsePath(pathname: string): Route {
  const trimmed = pathname.replace(/\/+$/, '');
  if (trimmed !== BASE && !trimmed.startsWith(`${BASE}/`)) return { view: 'not-found', path: pathname };
  const raw = trimmed.slice(BASE.length).split('/').filter(Boolean);
  const parts = raw.map(decode);
  if (parts.some((p) => p === undefined)) return { view: 'not-found', path: pathname };
  const [a, b, c, ...rest] = parts as string[];
  if (rest.length) return { view: 'not-found', path: pathname };
  if (a === undefined) return { view: 'experiments' };
  if (a === 'experiments' && b === undefined) return { view: 'experiments' };
  if (a === 'experiments' && b !== undefined && c === undefined) return { view: 'runs', experimentId: b };
  if (a === 'runs' && b !== undefined && c === undefined) return { view: 'run', runId: b };
  if (a === 'compare' && b === undefined) return { view: 'compare' };
  if (a === 'models' && b === undefined) return { view: 'registry' };
  if (a === 'models' && b !== undefined && c === undefined) return { view: 'model', model: b };
  if (a === 'models' && b !== undefined && c === 'health') return { view: 'health', model: b };
  if (a === 'models' && b !== undefined && c === 'drift') return { view: 'drift', model: b };
  return { view: 'not-found', path: pathname };
}

/** Route and query of a URL (a full URL, or a path with an optional query string). */
export function parseUrl(url: string): Location {
  const u = new URL(url, 'http://console.invalid');
  return { route: parsePath(u.pathname), query: u.searchParams };
}

/** A comma-separated query list (`runs=a,b,c`, `cols=params.lr,metrics.acc`), empty items dropped. */
export function listParam(query: URLSearchParams, name: string): string[] {
  const v = query.get(name);
  return v ? v.split(',').map((s) => s.trim()).filter(Boolean) : [];
}
