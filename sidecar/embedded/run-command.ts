import { spawn } from 'node:child_process';
import type { OsUser } from './os-user.ts';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Run as this OS user (only possible as root; PostgreSQL refuses to run as root). */
  asUser?: OsUser | null;
  /** Written to the command's standard input, which is then closed. */
  input?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/**
 * Runs a program to completion and collects its output. It never throws for a non-zero exit:
 * callers decide what an exit code means. It throws only when the program cannot be started.
 */
export function runCommand(file: string, args: string[], options: RunOptions = {}): Promise<CommandResult> {
  const user = options.asUser;
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      cwd: options.cwd ?? (user ? '/' : undefined),
      env: { ...(options.env ?? process.env), ...(user ? { HOME: user.home, USER: user.name, LOGNAME: user.name } : {}) },
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error) => reject(new Error(`could not run ${file}: ${error.message}`, { cause: error })));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}
