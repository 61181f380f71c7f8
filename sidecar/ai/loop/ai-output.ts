import { z } from 'zod';

/** What a model's final answer must be: every proposal with its stated reason. */
export const AiOutput = z.object({
  explanation: z.string(),
  findings: z.array(z.object({ title: z.string(), detail: z.string() })),
  indexes: z.array(z.object({ sql: z.string(), reason: z.string() })),
  rewrites: z.array(z.object({ sql: z.string(), reason: z.string() })),
  settings: z.array(z.object({ name: z.string(), value: z.string(), reason: z.string() })),
});
export type AiOutput = z.infer<typeof AiOutput>;

/** The same, as the JSON schema the prompt shows. */
export const AI_OUTPUT_JSON_SCHEMA = z.toJSONSchema(AiOutput);

/**
 * Reads a final answer: the JSON object itself, or inside one ```json fence (models add them even
 * when told not to). Nothing else is stripped or guessed.
 */
export function readAnswer(text: string): { ok: true; output: AiOutput } | { ok: false; problem: string } {
  const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n\s*```\s*$/.exec(text);
  let value: unknown;
  try {
    value = JSON.parse(fenced ? fenced[1]! : text);
  } catch (error) {
    return { ok: false, problem: `the answer is not JSON: ${(error as Error).message}` };
  }
  const parsed = AiOutput.safeParse(value);
  if (!parsed.success) return { ok: false, problem: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') };
  return { ok: true, output: parsed.data };
}
