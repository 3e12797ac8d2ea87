import { isAppError } from "./errors";

export type FieldErrors = Record<string, string[]>;

/**
 * The one field-error flattener of the panel: zod issues (and Standard Schema issues, which newer tRPC
 * versions hand over) become `{ field: [messages] }`, nested objects as "parent.child" (e.g.
 * settings.healthAttempts; arrays keep the parent); an AppError that names its field (`data.field`)
 * becomes that field's error. Null when the error says nothing about fields. Used by forms (before a
 * request), the tRPC error formatter and the REST API alike, so all three word a rule the same way.
 */
export function flattenFieldErrors(cause: unknown, fallbackKey = "_form"): FieldErrors | null {
  if (isAppError(cause)) return typeof cause.data?.field === "string" ? { [cause.data.field]: [cause.message] } : null;
  const issues = (cause as { issues?: unknown } | null | undefined)?.issues;
  if (!Array.isArray(issues)) return null;
  const out: FieldErrors = {};
  for (const issue of issues as { path?: PropertyKey[]; message: string }[]) {
    const path = issue.path ?? [];
    const key =
      path.length > 1 && typeof path[1] === "string" ? `${String(path[0])}.${path[1]}` : path.length ? String(path[0]) : fallbackKey;
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

/** "field: rule, rule; other: rule": the message for an error that is only about fields. */
export function describeFieldErrors(errors: FieldErrors): string {
  return Object.entries(errors)
    .map(([field, msgs]) => `${field}: ${msgs.join(", ")}`)
    .join("; ");
}
