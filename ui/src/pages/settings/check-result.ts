import { z } from 'zod';

/**
 * A target's connection test: TargetCheckResult (sidecar/api/target-check.ts), stored in
 * targets.last_check and returned by testTargetConnection. Checks are the doctor's (Check in
 * sidecar/doctor/checks.ts): privileges, extensions, settings.
 */
const CheckSchema = z.object({
  id: z.string(),
  status: z.string(),
  message: z.string(),
  fix: z.string().nullish(),
});
const CheckResultSchema = z.object({
  reachable: z.boolean(),
  ready: z.boolean(),
  error: z.string().nullish(),
  serverVersion: z.string().nullish(),
  checks: z.array(CheckSchema),
  checkedAt: z.string(),
});

export interface CheckItem {
  id: string;
  /** pass, warn, fail or info: written out, the colour only repeats it. */
  label: 'pass' | 'warn' | 'fail' | 'info';
  message: string;
  /** What to run or change; only for checks that did not pass. */
  fix: string | null;
}

export interface CheckView {
  checkedAt: string;
  reachable: boolean;
  ready: boolean;
  serverVersion: string | null;
  /** One line: ready, not ready (how many fail), or why it could not connect. */
  summary: string;
  tone: 'ok' | 'warn' | 'error';
  items: CheckItem[];
}

const LABEL: Record<string, CheckItem['label']> = { ok: 'pass', warn: 'warn', fail: 'fail', info: 'info' };

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Builds the view of a connection test; null when `raw` is not one (never tested, or another shape). */
export function checkView(raw: unknown): CheckView | null {
  const parsed = CheckResultSchema.safeParse(raw);
  if (!parsed.success) return null;
  const r = parsed.data;
  const items: CheckItem[] = r.checks.map((c) => {
    const label = LABEL[c.status] ?? 'warn';
    return { id: c.id, label, message: c.message, fix: label === 'pass' ? null : (c.fix ?? null) };
  });
  const fails = items.filter((i) => i.label === 'fail').length;
  const warns = items.filter((i) => i.label === 'warn').length;
  let summary: string;
  let tone: CheckView['tone'];
  if (!r.reachable) {
    summary = `could not connect: ${r.error ?? 'no reason given'}`;
    tone = 'error';
  } else if (r.error) {
    summary = `connected, but the checks did not finish: ${r.error}`;
    tone = 'error';
  } else if (!r.ready) {
    summary = `not ready: ${plural(fails, 'check')} failed${warns ? `, ${plural(warns, 'warning')}` : ''}`;
    tone = 'error';
  } else {
    summary = warns ? `ready, with ${plural(warns, 'warning')}` : 'ready: every check passed';
    tone = warns ? 'warn' : 'ok';
  }
  return { checkedAt: r.checkedAt, reachable: r.reachable, ready: r.ready, serverVersion: r.serverVersion ?? null, summary, tone, items };
}
