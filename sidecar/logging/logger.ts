/**
 * The sidecar's log (issue 12 §1): one line per meaningful event, human-readable on a terminal
 * (pino-pretty) or JSON lines when asked (`--log-format json`, OPTISCHEMA_LOG_FORMAT=json), pino
 * underneath. graphile-worker's own logger is routed through it: its routine lines (a job
 * completed, a worker connected) go to debug, which `--verbose` shows; a job's own lines, warnings
 * and errors stay at their level. Secrets never reach it: every line here is written by OptiSchema.
 */
import { Logger as WorkerLogger, type LogFunctionFactory } from 'graphile-worker';
import pino from 'pino';
import pretty from 'pino-pretty';

export type LogFormat = 'pretty' | 'json';

export interface LogOptions {
  format?: LogFormat;
  /** Debug lines too (graphile-worker's routine ones among them). */
  verbose?: boolean;
  /** Where the lines go (default stderr: stdout carries results such as the server's URL). */
  destination?: NodeJS.WritableStream;
}

export function createLogger(options: LogOptions = {}): pino.Logger {
  const destination = options.destination ?? process.stderr;
  const level = options.verbose ? 'debug' : 'info';
  if (options.format === 'json') return pino({ level, base: undefined }, destination as pino.DestinationStream);
  const tty = (destination as NodeJS.WriteStream).isTTY === true;
  // The task is in the JSON lines; on a terminal each job's own line names it already.
  return pino({ level }, pretty({ destination, colorize: tty, sync: true, singleLine: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,scope,task' }));
}

/**
 * graphile-worker's lines that say nothing a user acts on: kept for --verbose. A completion's
 * message ends in a multi-line dump of the job row, so only its first line is kept.
 */
const ROUTINE = /^(Completed task|Worker connected|Worker .* (stopping|stopped|releasing)|Releasing|Releasing worker|Cron:)/;

/** graphile-worker's Logger, writing through `log`. */
export function workerLogger(log: pino.Logger): WorkerLogger {
  const factory: LogFunctionFactory = (scope) => {
    const child = log.child({ scope: { ...scope } });
    return (level, message) => {
      const firstLine = message.split('\n', 1)[0]!.replace(/ \(\{$/, '');
      const task = typeof scope.taskIdentifier === 'string' ? { task: scope.taskIdentifier } : {};
      if (level === 'error') child.error(task, message);
      else if (level === 'warning') child.warn(task, message);
      else if (level === 'info' && !ROUTINE.test(message)) child.info(task, firstLine);
      else child.debug(task, firstLine);
    };
  };
  return new WorkerLogger(factory);
}
