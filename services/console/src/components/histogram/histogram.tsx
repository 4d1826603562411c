// Reference vs current distribution of one feature as paired bars on a canvas.
import { useEffect, useRef } from 'preact/hooks';
import { barPairs, barRects } from './bars.ts';

type Distribution = Parameters<typeof barPairs>[0];

const COLOURS = { reference: '#9ca3af', current: '#2563eb' };

/** `referenceId` as the drift detector records it: `dataset:<id>@<version>` for a training profile, else a window id. */
export function Histogram(props: { distribution: Distribution; referenceId?: string; height?: number; testid?: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const pairs = barPairs(props.distribution);
  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    const width = Math.max(240, c.parentElement?.clientWidth ?? 480);
    const height = props.height ?? 200;
    const bottom = 40;
    const dpr = window.devicePixelRatio || 1;
    c.width = width * dpr;
    c.height = height * dpr;
    c.style.width = `${width}px`;
    c.style.height = `${height}px`;
    const g = c.getContext('2d');
    if (!g) return;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, width, height);
    for (const r of barRects(pairs, width, height - bottom)) {
      g.fillStyle = COLOURS[r.series];
      g.fillRect(r.x, r.y, r.width, r.height);
    }
    g.fillStyle = '#374151';
    g.font = '11px system-ui, sans-serif';
    g.textAlign = 'center';
    const slot = width / Math.max(1, pairs.length);
    const every = Math.max(1, Math.ceil(70 / slot));
    pairs.forEach((p, i) => {
      if (i % every === 0) g.fillText(p.label.length > 14 ? `${p.label.slice(0, 13)}…` : p.label, i * slot + slot / 2, height - bottom + 14);
    });
  }, [props.distribution, props.height]);
  return (
    <div data-testid={props.testid ?? 'feature-histogram'} data-bins={pairs.length} data-kind={props.distribution.kind}>
      <canvas ref={canvas} style={{ display: 'block' }} />
      <div class="muted" style={{ fontSize: '12px' }}>
        <span style={{ color: COLOURS.reference }}>■</span> reference ({props.referenceId?.startsWith('dataset:') ? 'training profile' : 'reference window'}) {props.distribution.reference ? '' : '— not available'} &nbsp; <span style={{ color: COLOURS.current }}>■</span> current window
      </div>
    </div>
  );
}
