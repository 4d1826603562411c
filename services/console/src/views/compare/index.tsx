import type { ViewProps } from '../types.ts';
import { Empty } from '../../components/states.tsx';

export function CompareView(props: ViewProps) {
  return (
    <section data-testid="view-compare">
      <h1>Compare</h1>
      <Empty>This view is being built ({props.route.view}).</Empty>
    </section>
  );
}
