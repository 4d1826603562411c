import type { ViewProps } from '../types.ts';
import { Empty } from '../../components/states.tsx';

export function HealthView(props: ViewProps) {
  return (
    <section data-testid="view-health">
      <h1>Health</h1>
      <Empty>This view is being built ({props.route.view}).</Empty>
    </section>
  );
}
