import { z } from "zod";
import { ZEmail, ZId, ZPassword, ZRole, ZStackRef } from "./fields";

// The inputs of the users, tokens and account procedures, shared with their forms.

export const ZTokenName = z
  .string()
  .trim()
  .min(1, "Required")
  .max(64, "At most 64 characters")
  .regex(/^[A-Za-z0-9 _.-]+$/, "Letters, digits, spaces, '_', '.' and '-'");

/** The longest a token may live; admin-role tokens must expire within it, and get 90 days when none is given. */
export const TOKEN_MAX_DAYS = 365;
export const ADMIN_TOKEN_DEFAULT_DAYS = 90;

export const ZExpiresInDays = z.coerce
  .number({ error: "Must be a number of days" })
  .int("Must be a whole number of days")
  .min(1, "At least 1 day")
  .max(TOKEN_MAX_DAYS, `At most ${TOKEN_MAX_DAYS} days`);

/** What a scoped token may do: the deploy routes (deploy, rollback, its own jobs) of one stack. */
export const ZTokenScope = z.object({
  /** Matched by id (a renamed stack keeps its tokens); the name is for display. */
  stackId: ZId,
  stack: ZStackRef,
  actions: z.array(z.literal("deploy")).min(1).default(["deploy"]),
});
export type TokenScope = z.infer<typeof ZTokenScope>;

/**
 * `expiresInDays`: omitted → the default (90 days for ADMIN, never for the others); null → never
 * (refused for ADMIN). `stack`: limit the token to deploys of that stack.
 */
export const ZCreateTokenInput = z.object({
  name: ZTokenName,
  role: ZRole,
  expiresInDays: ZExpiresInDays.nullable().optional(),
  stack: ZStackRef.nullable().optional(),
});
export type TCreateTokenInput = z.infer<typeof ZCreateTokenInput>;

export const ZCreateUserInput = z.object({ email: ZEmail, password: ZPassword, role: ZRole });
export const ZChangePasswordInput = z.object({
  current: z.string().min(1, "Required").max(256, "At most 256 characters"),
  next: ZPassword,
});

/** The current password, asked again before a second factor is set up or removed. */
export const ZCurrentPassword = z.string().min(1, "Enter your current password").max(256, "At most 256 characters");
