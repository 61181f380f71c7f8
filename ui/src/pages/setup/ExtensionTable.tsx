import type { StartStatus } from '../../api/status.ts';

type Extension = StartStatus['extensions'][number];

function stateOf(extension: Extension): { label: string; tone: 'ok' | 'missing' | 'optional' } {
  if (!extension.available) return extension.required ? { label: 'missing', tone: 'missing' } : { label: 'not available (optional)', tone: 'optional' };
  if (extension.preloaded === false) return { label: 'installed, not preloaded', tone: 'missing' };
  if (!extension.installed) return { label: 'available, not created', tone: 'missing' };
  return { label: 'present', tone: 'ok' };
}

export function ExtensionTable({ extensions }: { extensions: Extension[] }) {
  return (
    <section aria-labelledby="extensions-heading">
      <h2 id="extensions-heading">Extensions</h2>
      <table>
        <thead>
          <tr>
            <th>Extension</th>
            <th>State</th>
          </tr>
        </thead>
        <tbody>
          {extensions.map((extension) => {
            const state = stateOf(extension);
            return (
              <tr key={extension.name} data-testid={`extension-${extension.name}`}>
                <td>{extension.name}</td>
                <td className={state.tone}>{state.label}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
