import type { StartStatus } from '../../api/status.ts';

export function DemoCard({ demo }: { demo: StartStatus['demo'] }) {
  return (
    <section aria-labelledby="demo-heading">
      <h2 id="demo-heading">Demo dataset</h2>
      {demo.loaded ? (
        <ul data-testid="demo-tables">
          {demo.tables.map((table) => (
            <li key={table.name}>
              demo.{table.name}: about {table.rows.toLocaleString('en-US')} rows
            </li>
          ))}
        </ul>
      ) : (
        <p data-testid="demo-missing">
          Not loaded. Load it with <code>optischema demo load</code>.
        </p>
      )}
    </section>
  );
}
