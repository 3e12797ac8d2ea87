import { TRPCClientError } from "@trpc/client";

/** Field errors a procedure reported (zod issues, or an AppError naming its field). */
export function fieldErrorsOf(err: unknown): Record<string, string> {
  if (!(err instanceof TRPCClientError)) return {};
  const data = err.data as { fieldErrors?: Record<string, string[]> | null } | undefined;
  const out: Record<string, string> = {};
  for (const [field, messages] of Object.entries(data?.fieldErrors ?? {})) {
    if (messages[0]) out[field] = messages[0];
  }
  return out;
}

/** One line for a toast: the server's message, which already names host and cause. */
export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return "Something went wrong";
}
