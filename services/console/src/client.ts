// The console's single API client: the key lives in sessionStorage (typed once per browser session).
import { createApi } from './api.ts';

export const api = createApi({ store: typeof sessionStorage === 'undefined' ? undefined : sessionStorage });
