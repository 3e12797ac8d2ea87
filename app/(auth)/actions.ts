"use server";

import { headers } from "next/headers";
import { signIn, signOut } from "@/auth";
import { clientAddress } from "@/server/http/client-address";
import { getPanelSite, resolvePanelOrigin } from "@/server/http/panel-url";
import { describeCrossSiteRequest } from "@/server/http/request-guard";
import { issueLoginTicket } from "@/server/services/auth/login-ticket";
import { checkSignIn } from "@/server/services/auth/sign-in";
import { isAppError } from "@/server/errors";
import { createFirstAdmin } from "@/server/services/users/users";
import { recordAuditEvent } from "@/server/services/audit/record-audit-event";
import { ZSetupInput } from "@/server/trpc/routers/setup";

export interface FormState {
  error?: string;
  /** The password was right and the account has two-factor sign-in: ask for the code. */
  needsCode?: boolean;
  fieldErrors?: Record<string, string>;
  values?: Record<string, string>;
}

function text(form: FormData, name: string): string {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
}

/**
 * Why this action call looks driven by another page, or null. Next already refuses an Origin whose host
 * differs from Host; this adds PANEL_URL (scheme included) and Sec-Fetch-Site, as for every other route.
 */
async function refuseCrossSite(): Promise<string | null> {
  const h = await headers();
  const reason = describeCrossSiteRequest({ method: "POST", headers: h }, resolvePanelOrigin(h, getPanelSite()));
  return reason ? `Cross-site request refused: ${reason}. Open the panel's own sign-in page.` : null;
}

/** Signs in: every check in checkSignIn, then Auth.js with the ticket (it redirects by throwing, which must propagate). */
export async function loginAction(_prev: FormState, form: FormData): Promise<FormState> {
  const refused = await refuseCrossSite();
  if (refused) return { error: refused };
  const email = text(form, "email");
  const password = text(form, "password");
  if (!email || !password || email.length > 254 || password.length > 256)
    return { error: "Enter your email and password", values: { email } };
  const address = clientAddress(await headers());
  const result = await checkSignIn({ email, password, code: text(form, "code").slice(0, 32), address });
  if (!result.ok) {
    const waitMin = result.reason === "throttled" ? Math.ceil(result.waitMs / 60_000) : 0;
    const waitFor = `try again in ${waitMin} minute${waitMin === 1 ? "" : "s"}`;
    const error = {
      invalid: "Email or password is wrong",
      "code-required": undefined,
      "code-invalid": "That code is wrong or was already used; enter the current one from your authenticator app, or a recovery code",
      throttled:
        result.reason === "throttled" && result.scope === "address"
          ? `Too many failed sign-ins from your address: ${waitFor}`
          : `Too many failed sign-ins for this account: ${waitFor}`,
    }[result.reason];
    return { error, needsCode: result.reason === "code-required" || result.reason === "code-invalid", values: { email } };
  }
  await signIn("credentials", { ticket: result.ticket, redirectTo: "/" });
  return {};
}

/** Creates the first admin (only while there is no user) and signs them in. */
export async function setupAction(_prev: FormState, form: FormData): Promise<FormState> {
  const refused = await refuseCrossSite();
  if (refused) return { error: refused };
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
  let userId: string;
  try {
    const user = await createFirstAdmin(parsed.data);
    userId = user.id;
    await recordAuditEvent(
      { kind: "user", id: user.id, label: user.email, role: "ADMIN" },
      { action: "setup.first-admin", target: user.email },
    );
  } catch (err) {
    if (isAppError(err)) return { error: err.message, values: { email } };
    throw err;
  }
  await signIn("credentials", { ticket: issueLoginTicket(userId), redirectTo: "/" });
  return {};
}

export async function signOutAction(): Promise<void> {
  const refused = await refuseCrossSite();
  if (refused) throw new Error(refused);
  await signOut({ redirectTo: "/login" });
}
