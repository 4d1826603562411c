// Data quality of the same windows as drift (GET /v1/models/:model/quality):
// one compact row per window (score, verdict, failed checks) and the
// DataQualityFailed alerts. See docs/data-quality.md.
import { useFetch } from '../../components/use-fetch.ts';
import { Empty, ErrorBox, Loading } from '../../components/states.tsx';
import type { QualityHistory } from '../api-types.ts';
import { when } from '../format.ts';

const share = (x: number) => `${(x * 100).toFixed(1)}%`;

export function QualityTable(props: { model: string; version: number | undefined; from: number }) {
  const quality = useFetch<QualityHistory>(`/v1/models/${encodeURIComponent(props.model)}/quality?from=${props.from}&limit=10000${props.version !== undefined ? `&version=${props.version}` : ''}`);
  if (quality.error) return <ErrorBox error={quality.error} retry={quality.reload} />;
  if (!quality.data) return <Loading what="data quality" />;
  const { measurements, failures } = quality.data;
  if (!measurements.length) return <Empty>No data-quality measurements for this version yet.</Empty>;
  return (
    <div data-testid="quality-table" data-windows={measurements.length} data-failed={measurements.filter((m) => !m.passed).length} data-alerts={failures.length}>
      <table>
        <thead>
          <tr>
            <th>window</th>
            <th>score</th>
            <th>verdict</th>
            <th>failed checks</th>
          </tr>
        </thead>
        <tbody>
          {measurements.map((m) => (
            <tr data-testid="quality-row" data-window={m.windowId} data-passed={String(m.passed)}>
              <td>#{m.windowIndex}</td>
              <td>{m.score === null ? '—' : m.score.toFixed(3)}</td>
              <td style={{ color: m.passed ? 'var(--good)' : 'var(--bad)' }}>{m.passed ? 'ok' : 'failed'}</td>
              <td class="muted">{m.failures.map((f) => (f.feature ? `${f.feature} ${f.check} ${f.check.endsWith('share') ? share(f.observed) : f.observed}` : `${f.check} ${f.observed.toFixed(3)}`)).join(', ') || '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {failures.length ? (
        <ul data-testid="quality-alerts">
          {failures.map((f) => (
            <li>
              <b>Data quality failed</b> at {when(f.at)} ({f.windowId}, action {f.action}): {f.reason}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
