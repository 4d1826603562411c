// The router wired to the history API: a hook for the current location,
// navigate() for code, <Link> for anchors that stay in the app.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { parseUrl, type Location } from './router.ts';

const listeners = new Set<() => void>();
const current = (): Location => parseUrl(window.location.pathname + window.location.search);

window.addEventListener('popstate', () => listeners.forEach((l) => l()));

/** Goes to an href under /ui; `replace` keeps history clean for state-only changes (typing a filter). */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === window.location.pathname + window.location.search) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  listeners.forEach((l) => l());
}

export function useLocation(): Location {
  const [location, setLocation] = useState(current);
  useEffect(() => {
    const update = () => setLocation(current());
    listeners.add(update);
    return () => void listeners.delete(update);
  }, []);
  return location;
}

export function Link(props: { href: string; children: ComponentChildren; class?: string; testid?: string; title?: string }) {
  return (
    <a
      href={props.href}
      class={props.class}
      title={props.title}
      data-testid={props.testid}
      onClick={(e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(props.href);
      }}
    >
      {props.children}
    </a>
  );
}
