import { Link } from '@tanstack/react-router';
import { createColumnHelper, flexRender, getCoreRowModel, getSortedRowModel, useReactTable, type SortingState } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, useState } from 'react';
import { Sparkline } from '../../components/Sparkline.tsx';
import { formatCount, formatMs, formatPct } from '../../format.ts';

export interface QueryStatRow {
  queryid: string;
  query: string;
  calls: number;
  totalTimeMs: number;
  meanTimeMs: number | null;
  rows: number;
  sharePct: number | null;
  sparkline: number[];
  slowReason: string | null;
  openRecommendations: number;
}

const column = createColumnHelper<QueryStatRow>();
const ROW_PX = 38;

/**
 * The workload's statements by total time. Only the rows in view are in the DOM (TanStack
 * Virtual), so a thousand statements scroll like ten; sorting is TanStack Table's.
 */
export function TopQueriesTable({ rows, targetId, rangeLabel }: { rows: readonly QueryStatRow[]; targetId: string; rangeLabel: string }) {
  const [sorting, setSorting] = useState<SortingState>([{ id: 'totalTimeMs', desc: true }]);
  const columns = [
    column.accessor('query', {
      header: 'Statement',
      enableSorting: false,
      cell: (c) => (
        <Link to="/databases/$targetId/queries/$queryid" params={{ targetId, queryid: c.row.original.queryid }} className="sql-inline" title={c.getValue()}>
          {c.getValue()}
        </Link>
      ),
    }),
    column.accessor('sparkline', {
      header: 'Time',
      enableSorting: false,
      cell: (c) => <Sparkline values={c.getValue()} label={`time per slice of the ${rangeLabel}`} />,
    }),
    column.accessor('totalTimeMs', { header: 'Total', cell: (c) => formatMs(c.getValue()) }),
    column.accessor('sharePct', { header: 'Share', cell: (c) => formatPct(c.getValue()) }),
    column.accessor('calls', { header: 'Calls', cell: (c) => formatCount(c.getValue()) }),
    column.accessor('meanTimeMs', { header: 'Mean', cell: (c) => formatMs(c.getValue()) }),
    column.accessor('openRecommendations', {
      header: 'Advice',
      cell: (c) => (
        <>
          {c.row.original.slowReason && <span className="badge">slow</span>} {c.getValue() > 0 && <span className="badge">{c.getValue()} open</span>}
        </>
      ),
    }),
  ];
  const table = useReactTable({ data: rows as QueryStatRow[], columns, state: { sorting }, onSortingChange: setSorting, getCoreRowModel: getCoreRowModel(), getSortedRowModel: getSortedRowModel() });
  const scroller = useRef<HTMLDivElement>(null);
  const sorted = table.getRowModel().rows;
  // initialRect: the first render (and a page without layout) shows a screenful before measuring.
  const virtual = useVirtualizer({ count: sorted.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_PX, overscan: 10, initialRect: { width: 1000, height: 512 } });
  const items = virtual.getVirtualItems();
  const padTop = items[0]?.start ?? 0;
  const padBottom = virtual.getTotalSize() - (items.at(-1)?.end ?? 0);
  const numeric = new Set(['totalTimeMs', 'sharePct', 'calls', 'meanTimeMs']);
  return (
    <div ref={scroller} className="virtual-rows table-scroll" data-testid="top-queries" tabIndex={0} aria-label={`Statements by total time, ${rows.length} rows`}>
      <table>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((h) => {
                const sortedAs = h.column.getIsSorted();
                const narrow = h.id === 'sparkline' || h.id === 'sharePct' || h.id === 'meanTimeMs';
                return (
                  <th key={h.id} scope="col" className={`${numeric.has(h.id) ? 'num' : ''} ${narrow ? 'hide-narrow' : ''}`} aria-sort={sortedAs === 'asc' ? 'ascending' : sortedAs === 'desc' ? 'descending' : undefined}>
                    {h.column.getCanSort() ? (
                      <button type="button" onClick={h.column.getToggleSortingHandler()}>
                        {flexRender(h.column.columnDef.header, h.getContext())} {sortedAs === 'asc' ? '↑' : sortedAs === 'desc' ? '↓' : ''}
                      </button>
                    ) : (
                      flexRender(h.column.columnDef.header, h.getContext())
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {padTop > 0 && <tr aria-hidden="true" style={{ height: padTop }} />}
          {items.map((item) => {
            const row = sorted[item.index]!;
            return (
              <tr key={row.id} data-testid="query-row" style={{ height: ROW_PX }}>
                {row.getVisibleCells().map((cell) => {
                  const narrow = cell.column.id === 'sparkline' || cell.column.id === 'sharePct' || cell.column.id === 'meanTimeMs';
                  return (
                    <td key={cell.id} className={`${numeric.has(cell.column.id) ? 'num' : ''} ${narrow ? 'hide-narrow' : ''}`}>
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </td>
                  );
                })}
              </tr>
            );
          })}
          {padBottom > 0 && <tr aria-hidden="true" style={{ height: padBottom }} />}
        </tbody>
      </table>
    </div>
  );
}
