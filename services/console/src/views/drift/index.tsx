import type { ViewProps } from '../types.ts';
import { Empty } from '../../components/states.tsx';

export function DriftView(props: ViewProps) {
  return (
    <section data-testid="view-drift">
      <h1>Drift</h1>
      <Empty>This view is being built ({props.route.view}).</Empty>
    </section>
  );
}
