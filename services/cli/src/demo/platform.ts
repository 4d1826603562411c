import { MlstreamApiError } from '@mlstream/sdk';

/** The demo cannot go on; the message says what to do. Printed without a stack by `mlstream demo`. */
export class DemoError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DemoError';
  }
}

/** Fails fast, with the fix, when the gateway is not running or not ready. */
export async function checkGateway(baseUrl: string): Promise<void> {
  let res: Response;
  try {
    res = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(5_000) });
  } catch (cause) {
    throw new DemoError(`gateway not reachable at ${baseUrl} — start the platform with \`npm start\` (or pass --gateway <url>)`, { cause });
  }
  if (!res.ok) {
    const body = await res.text().catch(() => '');
    throw new DemoError(`gateway at ${baseUrl} is not ready (${res.status}${body ? `: ${body.slice(0, 300)}` : ''}) — check \`npm run stack:status\` and the services \`npm start\` runs`);
  }
}

/** Turns a command that nobody answered into the missing service's name. */
export function explainCommandFailure(error: unknown, service: string): unknown {
  if (error instanceof MlstreamApiError && error.code === 'COMMAND_TIMEOUT') {
    return new DemoError(`the ${service} processor did not answer in time — is it running? (\`npm start\` runs every service)`, { cause: error });
  }
  return error;
}

/** Polls until `probe` returns a value, or fails with `what` after `timeoutMs`. */
export async function settle<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs: number, intervalMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new DemoError(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${last instanceof Error ? ` (last error: ${last.message})` : ''}`, { cause: last });
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
