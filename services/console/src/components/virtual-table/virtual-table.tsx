// A table that renders only the rows in view (fixed row height), so 10 000
// rows scroll like 30. Header and rows share one CSS grid template.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { rowWindow } from './window.ts';

export interface Column<Row> {
  id: string;
  label: string;
  width: string;
  cell: (row: Row) => ComponentChildren;
  /** Shown as the cell's title (full text of truncated values). */
  title?: (row: Row) => string;
  sortable?: boolean;
}

export interface VirtualTableProps<Row> {
  rows: Row[];
  columns: Array<Column<Row>>;
  rowKey: (row: Row) => string;
  rowHeight?: number;
  height?: string;
  sort?: { column: string; desc: boolean };
  onSort?: (column: string) => void;
  rowProps?: (row: Row) => Record<string, string | undefined>;
  testid?: string;
}

export function VirtualTable<Row>(props: VirtualTableProps<Row>) {
  const rowHeight = props.rowHeight ?? 28;
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => setViewport(el.clientHeight || 600);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const w = rowWindow(scrollTop, viewport, rowHeight, props.rows.length);
  const template = props.columns.map((c) => c.width).join(' ');
  return (
    <div class="vtable" data-testid={props.testid} style={{ height: props.height ?? '100%' }}>
      <div class="vtable-head" role="row" style={{ gridTemplateColumns: template }}>
        {props.columns.map((c) => {
          const sorted = props.sort?.column === c.id;
          return (
            <div
              role="columnheader"
              class={`vtable-th${c.sortable ? ' sortable' : ''}${sorted ? ' sorted' : ''}`}
              data-testid="column-header"
              data-column={c.id}
              aria-sort={sorted ? (props.sort!.desc ? 'descending' : 'ascending') : undefined}
              title={c.label}
              onClick={c.sortable && props.onSort ? () => props.onSort!(c.id) : undefined}
            >
              {c.label}
              {sorted ? (props.sort!.desc ? ' ▼' : ' ▲') : ''}
            </div>
          );
        })}
      </div>
      <div class="vtable-body" ref={scroller} onScroll={(e) => setScrollTop((e.currentTarget as HTMLDivElement).scrollTop)}>
        <div style={{ height: `${w.totalHeight}px`, position: 'relative' }}>
          <div style={{ transform: `translateY(${w.offsetTop}px)` }}>
            {props.rows.slice(w.start, w.end).map((row) => (
              <div role="row" class="vtable-row" key={props.rowKey(row)} style={{ gridTemplateColumns: template, height: `${rowHeight}px` }} {...(props.rowProps?.(row) ?? {})}>
                {props.columns.map((c) => (
                  <div role="cell" class="vtable-td" data-column={c.id} title={c.title?.(row)}>
                    {c.cell(row)}
                  </div>
                ))}
              </div>
            ))}
          </div>
        </div>
      </div>
    </div>
  );
}
