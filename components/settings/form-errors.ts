import { toast } from "sonner";
import { fieldErrorsOf, messageOf } from "@/trpc/errors";

/**
 * Splits a failed save into errors shown under this form's fields and a banner for the rest
 * (conflicts, remote failures), and toasts once: a short pointer when the fields say it all,
 * the server's message otherwise.
 */
export function reportFormError(
  err: unknown,
  fields: readonly string[],
): { fieldErrors: Record<string, string>; formError: string | null } {
  const fieldErrors = fieldErrorsOf(err);
  const isPlaced = Object.keys(fieldErrors).some((field) => fields.includes(field));
  toast.error(isPlaced ? "Check the highlighted fields" : messageOf(err));
  return { fieldErrors, formError: isPlaced ? null : messageOf(err) };
}

/** The form's own check (the procedure's schema) failed: nothing was sent. */
export function reportInvalidInput(): void {
  toast.error("Check the highlighted fields");
}
