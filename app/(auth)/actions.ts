"use server";

import { AuthError } from "next-auth";
import { signIn, signOut } from "@/auth";
import { isAppError } from "@/server/errors";
import { createFirstAdmin } from "@/server/services/users/users";
import { recordAuditEvent } from "@/server/services/audit/record-audit-event";
import { ZSetupInput } from "@/server/trpc/routers/setup";

export interface FormState {
  error?: string;
  fieldErrors?: Record<string, string>;
  values?: Record<string, string>;
}

function text(form: FormData, name: string): string {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
}

/** Signs in; Auth.js redirects on success by throwing, which must propagate. */
export async function loginAction(_prev: FormState, form: FormData): Promise<FormState> {
  const email = text(form, "email");
  try {
    await signIn("credentials", { email, password: text(form, "password"), redirectTo: "/" });
  } catch (err) {
    if (err instanceof AuthError) return { error: "Email or password is wrong", values: { email } };
    throw err;
  }
  return {};
}

/** Creates the first admin (only while there is no user) and signs them in. */
export async function setupAction(_prev: FormState, form: FormData): Promise<FormState> {
  const email = text(form, "email");
  const password = text(form, "password");
  if (password !== text(form, "confirm")) {
    return { fieldErrors: { confirm: "The passwords do not match" }, values: { email } };
  }
  const parsed = ZSetupInput.safeParse({ email, password });
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const i of parsed.error.issues) fieldErrors[String(i.path[0])] ??= i.message;
    return { fieldErrors, values: { email } };
  }
  try {
    const user = await createFirstAdmin(parsed.data);
    await recordAuditEvent({ kind: "user", id: user.id, label: user.email, role: "ADMIN" }, { action: "setup.first-admin", target: user.email });
  } catch (err) {
    if (isAppError(err)) return { error: err.message, values: { email } };
    throw err;
  }
  await signIn("credentials", { email: parsed.data.email, password, redirectTo: "/" });
  return {};
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/login" });
}
