import { countTokens as countO200k } from 'gpt-tokenizer';

/**
 * Tokens in `text` by OpenAI's o200k_base encoding (gpt-tokenizer, the encoding of GPT-4o and
 * later). Other models' tokenizers (Llama, Gemini, Claude, SQL coder models on Ollama) count the
 * same text differently, typically within some tens of percent: the budget is an approximation
 * for them, which is why callers keep a margin below a model's context window.
 *
 * @example countTokens('SELECT * FROM orders'); // 4
 */
export function countTokens(text: string): number {
  return countO200k(text);
}
