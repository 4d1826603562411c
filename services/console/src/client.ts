// The console's single API client: the key lives in sessionStorage (typed once per browser session).
import { createApi } from './api.ts';

export const api = createApi({ store: typeof sessionStorage === 'undefined' ? undefined : sessionStorage });

/** Fired on window (e.g. by an error box after a 401) to open the key prompt. */
export const ASK_KEY_EVENT = 'mlstream:ask-key';
