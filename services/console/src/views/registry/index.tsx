// The registry: every registered model with its versions' stages and aliases.
// Live: stage changes and new versions (/v1/streams/registry) reload it.
import type { ViewProps } from '../types.ts';
import { href } from '../../router.ts';
import { Link } from '../../nav.tsx';
import { Empty, ErrorBox, Loading } from '../../components/states.tsx';
import { useFetch } from '../../components/use-fetch.ts';
import { when } from '../format.ts';
import { useLive } from '../../components/use-live.ts';

export interface RegisteredModel {
  name: string;
  description: string;
  tags: Record<string, string>;
  aliases: Record<string, number>;
  versions: Array<{ model: string; version: number; runId: string | null; source: string; stage: string; description: string; aliases: string[]; userId: string; creationTime: number; lastUpdatedTime: number }>;
  creationTime: number;
  lastUpdatedTime: number;
}

export const stageClass = (stage: string) => `stage stage-${stage.toLowerCase()}`;

export function StageBadge(props: { stage: string }) {
  const colours: Record<string, string> = { PRODUCTION: '#16a34a', STAGING: '#d97706', ARCHIVED: '#6b7280', DEVELOPMENT: '#2563eb' };
  return (
    <span class={stageClass(props.stage)} style={{ color: '#fff', background: colours[props.stage] ?? '#6b7280', borderRadius: '4px', padding: '1px 6px', fontSize: '11px', fontWeight: 600 }}>
      {props.stage}
    </span>
  );
}

export function RegistryView(_props: ViewProps) {
  const models = useFetch<{ models: RegisteredModel[] }>('/v1/models');
  useLive('/v1/streams/registry', () => models.reload());
  return (
    <section style={{ display: 'block' }} data-testid="view-registry">
      <h1>Registry</h1>
      {models.error ? (
        <ErrorBox error={models.error} retry={models.reload} />
      ) : !models.data ? (
        <Loading what="registered models" />
      ) : !models.data.models.length ? (
        <Empty>No registered models yet. Register one with the SDK, MLflow's client or `mlstream` CLI.</Empty>
      ) : (
        <table class="plain" data-testid="models-table">
          <thead>
            <tr>
              <th>Model</th>
              <th>Versions</th>
              <th>Production</th>
              <th>Staging</th>
              <th>Aliases</th>
              <th>Updated</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {models.data.models.map((m) => {
              const at = (stage: string) => m.versions.filter((v) => v.stage === stage).map((v) => `v${v.version}`).join(', ') || '—';
              return (
                <tr data-testid="model-row" data-model={m.name} data-versions={m.versions.length}>
                  <td>
                    <Link href={href({ view: 'model', model: m.name })} testid="model-link">
                      {m.name}
                    </Link>
                  </td>
                  <td>{m.versions.length}</td>
                  <td>{at('PRODUCTION')}</td>
                  <td>{at('STAGING')}</td>
                  <td>
                    {Object.entries(m.aliases)
                      .map(([a, v]) => `@${a} → v${v}`)
                      .join(', ') || '—'}
                  </td>
                  <td>{when(m.lastUpdatedTime)}</td>
                  <td>
                    <Link href={href({ view: 'health', model: m.name })}>health</Link> · <Link href={href({ view: 'drift', model: m.name })}>drift</Link>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
