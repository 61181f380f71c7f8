import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, workerLogger } from '../../sidecar/logging/logger.ts';

function capture(format: 'json' | 'pretty', verbose = false) {
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const log = createLogger({ format, verbose, destination: out });
  return { log, lines: () => text.split('\n').filter(Boolean) };
}

const COMPLETED = 'Completed task 20 (advise_query, 1720.45ms) with success ({\n    id: \'20\',\n    queue_name: null,\n    task_identifier: \'advise_query\'\n})';

describe('the sidecar log', () => {
  it('routes graphile-worker through it: routine lines to debug (first line only), a job\'s own lines, warnings and errors kept', () => {
    const { log, lines } = capture('json');
    const worker = workerLogger(log).scope({ taskIdentifier: 'advise_query' });
    worker.info(COMPLETED);
    worker.info('advise_query 6413882505030393181: 1 index recommendation(s), 1 new');
    worker.warn('advise_query 1: no index advice: hypopg is missing');
    worker.error('the collector worker stopped: boom');
    const entries = lines().map((line) => JSON.parse(line));
    expect(entries.map((e) => [e.level, e.msg, e.task])).toEqual([
      [30, 'advise_query 6413882505030393181: 1 index recommendation(s), 1 new', 'advise_query'],
      [40, 'advise_query 1: no index advice: hypopg is missing', 'advise_query'],
      [50, 'the collector worker stopped: boom', 'advise_query'],
    ]);
  });

  it('shows the routine lines with --verbose, one line each', () => {
    const { log, lines } = capture('json', true);
    workerLogger(log).info(COMPLETED);
    expect(lines().map((line) => JSON.parse(line).msg)).toEqual(['Completed task 20 (advise_query, 1720.45ms) with success']);
  });

  it('prints one human-readable line per event on a terminal', () => {
    const { log, lines } = capture('pretty');
    workerLogger(log).scope({ taskIdentifier: 'collect_target' }).info('collect_target: snapshot 12 of 340 statements');
    expect(lines()).toHaveLength(1);
    expect(lines()[0]).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: collect_target: snapshot 12 of 340 statements/);
    expect(lines()[0]).not.toMatch(/\{/);
  });
});
