import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runCommand, type CommandResult } from '../../sidecar/embedded/run-command.ts';

export const BIN = fileURLToPath(new URL('../../bin/optischema.js', import.meta.url));

/** Runs the real `optischema` command in a child process, as a user would. */
export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<CommandResult> {
  const env = { ...process.env, DATABASE_URL: '', ...options.env };
  return runCommand(process.execPath, [BIN, ...args], { env, cwd: options.cwd });
}

export interface RunningCli {
  /** Resolves with the first stdout line that matches, or rejects when the process exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number>;
  output(): { stdout: string; stderr: string };
}

/** Starts a long-running command (such as `optischema start`) and lets the test talk to it. */
export function startCli(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): RunningCli {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, DATABASE_URL: '', ...options.env },
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  return {
    waitFor: (pattern, timeoutMs = 120_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`timed out waiting for ${pattern}; stderr: ${stderr}`)), timeoutMs);
        const check = () => {
          const line = stdout.split('\n').find((l) => pattern.test(l));
          if (line) finish(null, line);
        };
        const onExit = () => finish(new Error(`exited before printing ${pattern}; stderr: ${stderr}`));
        function finish(error: Error | null, line?: string) {
          clearTimeout(timer);
          child.stdout.off('data', check);
          child.off('close', onExit);
          if (error) reject(error);
          else resolve(line!);
        }
        child.stdout.on('data', check);
        child.once('close', onExit);
        check();
      }),
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
    output: () => ({ stdout, stderr }),
  };
}
