// The three states every view shows before or instead of its data.
import type { ComponentChildren } from 'preact';
import { ApiError } from '../api.ts';
import { ASK_KEY_EVENT } from '../client.ts';

export function Loading(props: { what?: string }) {
  return (
    <div class="state loading" data-testid="state-loading" role="status">
      Loading{props.what ? ` ${props.what}` : ''}…
    </div>
  );
}

export function Empty(props: { children: ComponentChildren }) {
  return (
    <div class="state empty" data-testid="state-empty">
      {props.children}
    </div>
  );
}

export function ErrorBox(props: { error: unknown; retry?: () => void }) {
  const words = props.error instanceof ApiError ? props.error.words : props.error instanceof Error ? props.error.message : String(props.error);
  return (
    <div class="state error" data-testid="state-error" role="alert">
      <span>{words}</span>
      {props.error instanceof ApiError && props.error.needsKey && (
        <button type="button" data-testid="error-enter-key" onClick={() => window.dispatchEvent(new Event(ASK_KEY_EVENT))}>
          Enter a key
        </button>
      )}
      {props.retry && (
        <button type="button" onClick={props.retry}>
          Retry
        </button>
      )}
    </div>
  );
}
