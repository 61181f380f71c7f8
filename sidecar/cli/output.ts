/**
 * Where the CLI writes. Results go to stdout (so `optischema db url` and `--json` can be piped);
 * progress and notices go to stderr.
 */
export function print(line = ''): void {
  process.stdout.write(`${line}\n`);
}

export function note(line: string): void {
  process.stderr.write(`${line}\n`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
