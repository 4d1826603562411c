import { describe, expect, it } from 'vitest';
import { href, listParam, parsePath, parseUrl, pathOf, type Route } from './router.ts';

describe('console router', () => {
  it('parses every view and formats it back to the same path', () => {
    const routes: Route[] = [
      { view: 'experiments' },
      { view: 'runs', experimentId: '12' },
      { view: 'run', runId: 'r-1/odd id' },
      { view: 'compare' },
      { view: 'registry' },
      { view: 'model', model: 'churn model' },
      { view: 'health', model: 'churn' },
      { view: 'drift', model: 'churn' },
    ];
    for (const route of routes) expect(parsePath(pathOf(route))).toEqual(route);
  });

  it('takes /ui, /ui/ and trailing slashes as the experiments list', () => {
    expect(parsePath('/ui')).toEqual({ view: 'experiments' });
    expect(parsePath('/ui/')).toEqual({ view: 'experiments' });
    expect(parsePath('/ui/experiments/3/')).toEqual({ view: 'runs', experimentId: '3' });
  });

  it('answers not-found for unknown paths, paths outside /ui and bad escapes', () => {
    expect(parsePath('/ui/nope')).toEqual({ view: 'not-found', path: '/ui/nope' });
    expect(parsePath('/uix')).toEqual({ view: 'not-found', path: '/uix' });
    expect(parsePath('/ui/runs/%E0%A4%A')).toEqual({ view: 'not-found', path: '/ui/runs/%E0%A4%A' });
    expect(parsePath('/ui/runs/a/b/c/d').view).toBe('not-found');
  });

  it('keeps view state in a stable query string', () => {
    const url = href({ view: 'runs', experimentId: '1' }, { sort: 'metrics.acc DESC', filter: "params.lr = '0.1'", cols: '', page: undefined });
    expect(url).toBe('/ui/experiments/1?filter=params.lr+%3D+%270.1%27&sort=metrics.acc+DESC');
    const { route, query } = parseUrl(url);
    expect(route).toEqual({ view: 'runs', experimentId: '1' });
    expect(query.get('filter')).toBe("params.lr = '0.1'");
  });

  it('reads comma lists from the query', () => {
    expect(listParam(new URLSearchParams('runs=a,,b, c'), 'runs')).toEqual(['a', 'b', 'c']);
    expect(listParam(new URLSearchParams(''), 'runs')).toEqual([]);
  });
});
