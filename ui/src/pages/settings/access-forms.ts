import { z } from 'zod';
import { ROLE_NAMES } from './roles.ts';
import { fieldErrors, type FormResult } from './form-errors.ts';

const role = z.enum(ROLE_NAMES, { error: 'choose a role: viewer, analyst or admin' });

// The checks optischema_api.add_member, create_api_key and createTarget make, before sending.
const MemberSchema = z.object({
  email: z
    .string()
    .trim()
    .min(1, 'an email address is required')
    .max(320, 'an email address has at most 320 characters')
    .regex(/^[^@\s]+@[^@\s]+$/, 'not an email address'),
  role,
});

const ApiKeySchema = z.object({
  name: z.string().trim().min(1, 'a key needs a name (what uses it)').max(200, 'a name has at most 200 characters'),
  role,
});

const TargetSchema = z.object({
  name: z.string().trim().min(1, 'a database needs a name').max(200, 'a name has at most 200 characters'),
  connectionString: z
    .string()
    .trim()
    .min(1, 'a connection string is required')
    .max(4000, 'a connection string has at most 4000 characters')
    .refine((s) => /^postgres(ql)?:\/\/\S+$/.test(s), 'a connection string starts with postgres:// or postgresql://'),
});

export type MemberForm = z.infer<typeof MemberSchema>;
export type ApiKeyForm = z.infer<typeof ApiKeySchema>;
export type TargetForm = z.infer<typeof TargetSchema>;

export function parseMemberForm(values: { email: string; role: string }): FormResult<MemberForm, 'email' | 'role'> {
  const parsed = MemberSchema.safeParse(values);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, errors: fieldErrors(parsed.error) };
}

export function parseApiKeyForm(values: { name: string; role: string }): FormResult<ApiKeyForm, 'name' | 'role'> {
  const parsed = ApiKeySchema.safeParse(values);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, errors: fieldErrors(parsed.error) };
}

/** The connection string's own text never appears in an error message: it holds a password. */
export function parseTargetForm(values: { name: string; connectionString: string }): FormResult<TargetForm, 'name' | 'connectionString'> {
  const parsed = TargetSchema.safeParse(values);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, errors: fieldErrors(parsed.error) };
}
