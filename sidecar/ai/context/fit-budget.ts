import { countTokens } from './count-tokens.ts';

/** One section of the context before the budget decides what of it is sent. */
export interface SectionDraft {
  name: string;
  heading: string;
  /** The body, in order of importance; each part has a full form and may have a shorter one. */
  parts: { full: string; short?: string }[];
  /** What a cut section says of itself: "3 of 7 plan nodes shown". */
  cut: (count: { shown: number; shortened: number; total: number }) => string;
}

export interface ContextSection {
  name: string;
  /** Tokens of the section as sent (0 when left out). */
  tokens: number;
  /** Whether any of it is in the text. */
  included: boolean;
  /** Set when only part of it fits: what was cut ("3 of 7 plan nodes"). */
  cut?: string;
}

const SEPARATOR = '\n\n';

/**
 * Sections in their order while they fit in `budget` tokens (counted with countTokens over the
 * whole text, the note included): a section that does not fit whole is cut after its last part
 * that fits (a part's short form is tried before giving it up), or left out when not even its
 * first part fits; a cut section ends with a line saying what it lost, and a closing line names
 * what was left out or cut.
 *
 * @example
 *   fitBudget([{ name: 'plan', heading: '## Plan', parts: [{ full: 'Seq Scan' }], cut: (c) => `${c.shown} of ${c.total} nodes` }], 50).text;
 *   // '## Plan\nSeq Scan'
 */
export function fitBudget(drafts: readonly SectionDraft[], budget: number): { text: string; sections: ContextSection[] } {
  const everything = pack(drafts, Number.POSITIVE_INFINITY, budget);
  if (countTokens(everything.text) <= budget) return everything;
  // Something will be cut or left out: keep room for the closing note at its longest (every
  // section named).
  const longest = closingNote(drafts.map((d) => ({ name: d.name, tokens: 0, included: false })), budget);
  let room = budget - countTokens(longest);
  // Counting part by part is additive, which a tokenizer is only nearly: the whole text is
  // counted, and what it overshoots is taken from the room of the next attempt.
  for (let attempt = 1; room > 0; attempt++) {
    const result = pack(drafts, room, budget);
    const over = countTokens(result.text) - budget;
    if (over <= 0) return result;
    room -= Math.max(over, 1) * attempt;
  }
  const nothing = drafts.map((d) => ({ name: d.name, tokens: 0, included: false }));
  const note = closingNote(nothing, budget);
  return { text: countTokens(note) <= budget ? note : '', sections: nothing };
}

function pack(drafts: readonly SectionDraft[], room: number, budget: number): { text: string; sections: ContextSection[] } {
  const texts: string[] = [];
  const sections: ContextSection[] = [];
  let used = 0;
  const cost = (text: string) => countTokens(`${texts.length > 0 ? SEPARATOR : ''}${text}`);
  for (const draft of drafts) {
    const whole = [draft.heading, ...draft.parts.map((p) => p.full)].join('\n');
    const wholeCost = cost(whole);
    if (used + wholeCost <= room) {
      texts.push(whole);
      used += wholeCost;
      sections.push({ name: draft.name, tokens: countTokens(whole), included: true });
      continue;
    }
    // Part by part, each counted on its own: re-counting the section so far for every part
    // would tokenize a plan of hundreds of nodes hundreds of times.
    const lines = [draft.heading];
    let linesCost = cost(draft.heading);
    const count = { shown: 0, shortened: 0, total: draft.parts.length };
    for (const part of draft.parts) {
      const marker = cutLine(draft.cut({ ...count, shown: count.shown + 1, shortened: count.shortened + (part.short ? 1 : 0) }));
      const markerCost = countTokens(`\n${marker}`);
      const fitting = [part.full, part.short]
        .filter((form): form is string => form !== undefined)
        .map((form) => ({ form, tokens: countTokens(`\n${form}`) }))
        .find(({ tokens }) => used + linesCost + tokens + markerCost <= room);
      if (fitting === undefined) break;
      lines.push(fitting.form);
      linesCost += fitting.tokens;
      count.shown++;
      if (fitting.form !== part.full) count.shortened++;
    }
    if (count.shown === 0) {
      sections.push({ name: draft.name, tokens: 0, included: false });
      continue;
    }
    const phrase = draft.cut(count);
    const text = [...lines, cutLine(phrase)].join('\n');
    used += cost(text);
    texts.push(text);
    sections.push({ name: draft.name, tokens: countTokens(text), included: true, cut: phrase });
  }
  const note = closingNote(sections, budget);
  return { text: [...texts, ...(note ? [note] : [])].join(SEPARATOR), sections };
}

const cutLine = (phrase: string): string => `(cut to fit the token budget: ${phrase})`;

function closingNote(sections: readonly ContextSection[], budget: number): string {
  const left = sections.filter((s) => !s.included).map((s) => s.name);
  // A cut section says what it lost in its own last line; the note only names it.
  const cut = sections.filter((s) => s.cut !== undefined).map((s) => s.name);
  if (left.length === 0 && cut.length === 0) return '';
  return `(To fit the token budget of ${budget}:${left.length ? ` left out ${left.join(', ')}.` : ''}${cut.length ? ` Cut ${cut.join(', ')}.` : ''})`;
}
