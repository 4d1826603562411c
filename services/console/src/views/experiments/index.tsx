import type { ViewProps } from '../types.ts';
import { Empty } from '../../components/states.tsx';

export function ExperimentsView(props: ViewProps) {
  return (
    <section data-testid="view-experiments">
      <h1>Experiments</h1>
      <Empty>This view is being built ({props.route.view}).</Empty>
    </section>
  );
}
