import type { ViewProps } from '../types.ts';
import { Empty } from '../../components/states.tsx';

export function RegistryView(props: ViewProps) {
  return (
    <section data-testid="view-registry">
      <h1>Registry</h1>
      <Empty>This view is being built ({props.route.view}).</Empty>
    </section>
  );
}
