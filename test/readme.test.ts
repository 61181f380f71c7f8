import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (file: string) => readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');

/** The command lines of every ```sh block in a Markdown text. */
function shellCommands(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]!);
  return blocks.flatMap((block) => block.split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#')));
}

describe('README', () => {
  it('shows a Quick start of exactly two commands: start, then test', () => {
    const quickStart = read('README.md').split('## Quick start')[1]!.split('\n## ')[0]!;
    expect(shellCommands(quickStart)).toEqual(['npm start', 'npm test']);
  });

  it('has every command it shows exercised, as written, by CI', () => {
    const exercised = read('.ci/readme-commands.sh').split('\n').map((line) => line.trim());
    const ci = read('.ci/run');
    const missing = shellCommands(read('README.md')).filter(
      (command) => command !== 'npm test' && !exercised.some((line) => line.startsWith(command)),
    );
    expect(missing).toEqual([]);
    expect(ci).toMatch(/^npm test$/m);
  });

  it('links only files that exist (documents and screenshots)', () => {
    const links = [...read('README.md').matchAll(/\]\(((?:docs|sql|bench|test)\/[^)#\s]+)\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(3);
    expect(links.filter((link) => !existsSync(new URL(`../${link}`, import.meta.url)))).toEqual([]);
  });
});
