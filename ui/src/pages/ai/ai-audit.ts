import { z } from 'zod';

/**
 * "What was sent" (admins): the context an analysis gave the model (sidecar/ai/context/, its
 * QueryContext) and every message exchanged (the tool loop's transcript). Read tolerantly: an
 * unreadable part is reported as such, the rest still shows.
 */
export interface AuditView {
  context: { text: string; tokens: number | null; literalsAllowed: boolean | null; sections: { name: string; tokens: number | null; included: boolean }[] } | null;
  messages: { role: string; name: string | null; content: string; toolCalls: string[] }[];
  /** Messages that did not fit the shape, left out. */
  unreadableMessages: number;
}

const Section = z.object({ name: z.string(), tokens: z.number().nullish().catch(null), included: z.boolean().catch(true) });
const Context = z.object({
  text: z.string(),
  tokens: z.number().nullish().catch(null),
  literalsAllowed: z.boolean().nullish().catch(null),
  sections: z.array(z.unknown()).catch([]).transform((all) => all.flatMap((s) => {
    const parsed = Section.safeParse(s);
    return parsed.success ? [{ name: parsed.data.name, tokens: parsed.data.tokens ?? null, included: parsed.data.included }] : [];
  })),
});
const ToolCall = z.object({ name: z.string(), arguments: z.unknown() });
const Message = z.object({
  role: z.string(),
  name: z.string().nullish().catch(null),
  content: z.string().catch(''),
  toolCalls: z.array(ToolCall).optional().catch(undefined),
});

/**
 * @example
 *   auditView({ text: 'Statement: …', tokens: 1200, sections: [{ name: 'plan', tokens: 400, included: true }], literalsAllowed: false },
 *     [{ role: 'system', content: 'You are …' }]).messages[0].role; // 'system'
 */
export function auditView(context: unknown, transcript: unknown): AuditView {
  const c = Context.safeParse(context);
  const all = Array.isArray(transcript) ? transcript : [];
  const messages: AuditView['messages'] = [];
  let unreadable = 0;
  for (const m of all) {
    const parsed = Message.safeParse(m);
    if (!parsed.success) {
      unreadable++;
      continue;
    }
    messages.push({
      role: parsed.data.role,
      name: parsed.data.name ?? null,
      content: parsed.data.content,
      toolCalls: (parsed.data.toolCalls ?? []).map((t) => `${t.name}(${JSON.stringify(t.arguments)})`),
    });
  }
  return {
    context: c.success ? { text: c.data.text, tokens: c.data.tokens ?? null, literalsAllowed: c.data.literalsAllowed ?? null, sections: c.data.sections } : null,
    messages,
    unreadableMessages: unreadable,
  };
}
