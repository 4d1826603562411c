import type { ViewProps } from '../types.ts';
import { Empty } from '../../components/states.tsx';

export function ModelView(props: ViewProps) {
  return (
    <section data-testid="view-model">
      <h1>Model</h1>
      <Empty>This view is being built ({props.route.view}).</Empty>
    </section>
  );
}
