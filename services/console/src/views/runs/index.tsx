import type { ViewProps } from '../types.ts';
import { Empty } from '../../components/states.tsx';

export function RunsView(props: ViewProps) {
  return (
    <section data-testid="view-runs">
      <h1>Runs</h1>
      <Empty>This view is being built ({props.route.view}).</Empty>
    </section>
  );
}
