export interface NoteItem {
  id: string;
  body: string;
  createdAt: string | null;
  author: string;
}

/** Notes with their authors' names (a member who left shows as "a former member"). */
export function noteItems(
  notes: readonly { rowId: string; body: string | null; createdAt: string | null; authorId: string | null }[],
  members: readonly { userId: string; email: string | null; displayName: string | null }[],
): NoteItem[] {
  const names = new Map(members.map((m) => [m.userId, m.displayName || m.email || 'a member']));
  return notes.map((n) => ({
    id: n.rowId,
    body: n.body ?? '',
    createdAt: n.createdAt,
    author: (n.authorId && names.get(n.authorId)) || (n.authorId ? 'a former member' : 'OptiSchema'),
  }));
}
