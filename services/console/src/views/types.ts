import type { Route } from '../router.ts';

/** What the shell passes every view: its route (subject) and the URL's query (view state). */
export interface ViewProps<R extends Route = Route> {
  route: R;
  query: URLSearchParams;
}
