import os from 'node:os';

/** One line naming the machine a benchmark ran on: cores, CPU model, memory, OS. */
export function describeMachine(): string {
  return `${os.availableParallelism()} cores (${os.cpus()[0]?.model ?? 'unknown'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}`;
}
