/** An analysis appears some minutes after a statement is found slow, with no event of its own: the panels read again each minute. */
export const AI_REFRESH_MS = 60_000;
