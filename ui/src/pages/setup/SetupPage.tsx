import { useSession } from '../../app/session-context.tsx';
import { CheckList } from './CheckList.tsx';
import { DatabaseCard } from './DatabaseCard.tsx';
import { DemoCard } from './DemoCard.tsx';
import { ExtensionTable } from './ExtensionTable.tsx';

/** The server's own database: version, extensions, the doctor's checks and the demo dataset. */
export function SetupPage() {
  const { status } = useSession();
  return (
    <>
      <h1>Set-up</h1>
      <DatabaseCard status={status} />
      <ExtensionTable extensions={status.extensions} />
      <CheckList checks={status.checks} />
      <DemoCard demo={status.demo} />
    </>
  );
}
