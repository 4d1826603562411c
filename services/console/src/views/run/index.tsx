import type { ViewProps } from '../types.ts';
import { Empty } from '../../components/states.tsx';

export function RunView(props: ViewProps) {
  return (
    <section data-testid="view-run">
      <h1>Run</h1>
      <Empty>This view is being built ({props.route.view}).</Empty>
    </section>
  );
}
