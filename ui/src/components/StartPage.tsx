import { useStatus } from '../api/status.ts';
import { CheckList } from './CheckList.tsx';
import { DatabaseCard } from './DatabaseCard.tsx';
import { DemoCard } from './DemoCard.tsx';
import { ExtensionTable } from './ExtensionTable.tsx';
import { LoopCard } from './LoopCard.tsx';
import { SignIn } from './SignIn.tsx';

export function StartPage() {
  const [status, reload] = useStatus();
  return (
    <main>
      <header>
        <h1>OptiSchema</h1>
        <p className="tagline">PostgreSQL performance advisor</p>
      </header>
      {status.state === 'loading' && <p role="status">Connecting…</p>}
      {status.state === 'sign-in' && <SignIn onSignedIn={reload} />}
      {status.state === 'failed' && (
        <p role="alert" className="error">
          Could not read the database status: {status.error}
        </p>
      )}
      {status.state === 'ready' && (
        <>
          <DatabaseCard status={status.data} />
          <ExtensionTable extensions={status.data.extensions} />
          <CheckList checks={status.data.checks} />
          {status.data.loop && <LoopCard loop={status.data.loop} />}
          <DemoCard demo={status.data.demo} />
        </>
      )}
    </main>
  );
}
