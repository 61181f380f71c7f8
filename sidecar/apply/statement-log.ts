import type pg from 'pg';

/**
 * Runs the statements that change the target, and keeps each one that succeeded, in order: the
 * record of what an apply did (an audit line, the "what ran" of a report), even when it fails.
 */
export class StatementLog {
  readonly statements: string[] = [];
  readonly #target: pg.ClientBase;

  constructor(target: pg.ClientBase) {
    this.#target = target;
  }

  async run(sql: string): Promise<void> {
    await this.#target.query(sql);
    this.statements.push(sql);
  }
}
