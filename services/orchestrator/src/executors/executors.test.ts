import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { verify } from '@mlstream/webhooks/signature';
import type { Job } from '../domain/jobs.ts';
import { localExecutor } from './local.ts';
import { webhookExecutor } from './webhook.ts';

const job: Job = {
  jobId: 'job-1',
  model: 'churn',
  idempotencyKey: 'key-1',
  step: 'started',
  lastEventId: 'e2',
  request: { eventId: 'e1', occurredAt: 1, jobId: 'job-1', model: 'churn', idempotencyKey: 'key-1', version: 3, requestEventId: 'r1', requestOccurredAt: 1, evidenceWindowIds: ['w7'], evidenceEventIds: ['d7'], executor: 'webhook', timeoutMs: 1000, reason: 'drift' },
};
const snapshot = { uri: 'file:///tmp/x', sha256: 'a'.repeat(64), path: '/tmp/x', datasetId: 'retrain-churn', datasetVersion: 'job-1', rowCount: 10 };

describe('webhook executor', () => {
  let close = () => {};
  afterEach(() => close());

  it('POSTs a repository-dispatch payload with the snapshot and the evidence, signed so a receiver verifies it', async () => {
    const received: Array<{ headers: Record<string, unknown>; body: string }> = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    close = () => server.close();
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dispatches`;
    const now = 1_800_000_000_000;
    const outcome = await webhookExecutor({ url, secret: 's3cret', timeoutMs: 5_000, now: () => now }).run({ job, snapshot });
    expect(outcome).toEqual({ kind: 'dispatched' });
    const [r] = received;
    expect(verify('s3cret', r!.headers['webhook-signature'] as string, r!.body, { now: now / 1000 })).toEqual({ ok: true, timestamp: now / 1000 });
    expect(verify('other', r!.headers['webhook-signature'] as string, r!.body, { now: now / 1000 })).toMatchObject({ ok: false });
    expect(JSON.parse(r!.body)).toMatchObject({
      event_type: 'mlstream.retrain',
      client_payload: { jobId: 'job-1', idempotencyKey: 'key-1', snapshot: { uri: snapshot.uri, sha256: snapshot.sha256 }, evidence: { windowIds: ['w7'], eventIds: ['d7'] }, register: { tags: { 'mlstream.retrain.job': 'job-1' } } },
    });
  });

  it('fails the job on a non-2xx answer', async () => {
    const server = createServer((_req, res) => res.writeHead(500).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    close = () => server.close();
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    await expect(webhookExecutor({ url, secret: 's', timeoutMs: 5_000 }).run({ job, snapshot })).rejects.toThrow(/answered 500/);
  });
});

describe('local executor', () => {
  it('runs the template and returns the file written at {output}', async () => {
    const outcome = await localExecutor({ template: `{node} -e require('fs').writeFileSync(process.argv[1],'{"m":1}') {output}`, cwd: process.cwd(), timeoutMs: 10_000 }).run({ job, snapshot });
    expect(outcome.kind).toBe('trained');
    expect(outcome.kind === 'trained' && outcome.model.toString()).toBe('{"m":1}');
  });
  it('fails visibly on a non-zero exit and on a timeout', async () => {
    await expect(localExecutor({ template: '{node} -e process.exit(3) {output}', cwd: process.cwd(), timeoutMs: 10_000 }).run({ job, snapshot })).rejects.toThrow(/exited with 3/);
    await expect(localExecutor({ template: '{node} -e setTimeout(()=>{},60000) {output}', cwd: process.cwd(), timeoutMs: 300 }).run({ job, snapshot })).rejects.toThrow(/ran over 300 ms/);
  });
});
