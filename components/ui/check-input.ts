import type { z } from "zod";
import { describeFieldErrors, flattenFieldErrors } from "@/server/field-errors";

/** On failure: the first rule broken per field, and the one-line message the server would give. */
export type CheckedInput<T> = { ok: true; data: T } | { ok: false; errors: Record<string, string>; message: string };

/**
 * Checks a form's value with the schema the procedure itself uses, before anything is sent: the same
 * rule, worded the same way, under the same field. The server checks again (it is the authority).
 */
export function checkInput<S extends z.ZodType>(schema: S, value: unknown): CheckedInput<z.infer<S>> {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, data: result.data };
  const all = flattenFieldErrors(result.error) ?? {};
  const errors: Record<string, string> = {};
  for (const [field, messages] of Object.entries(all)) if (messages[0]) errors[field] = messages[0];
  return { ok: false, errors, message: describeFieldErrors(all) };
}
