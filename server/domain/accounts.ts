import { z } from "zod";
import { ZEmail, ZPassword, ZRole } from "./fields";

// The inputs of the users, tokens and account procedures, shared with their forms.

export const ZTokenName = z
  .string()
  .trim()
  .min(1, "Required")
  .max(64, "At most 64 characters")
  .regex(/^[A-Za-z0-9 _.-]+$/, "Letters, digits, spaces, '_', '.' and '-'");
export const ZCreateTokenInput = z.object({ name: ZTokenName, role: ZRole });
export const ZCreateUserInput = z.object({ email: ZEmail, password: ZPassword, role: ZRole });
export const ZChangePasswordInput = z.object({
  current: z.string().min(1, "Required").max(256, "At most 256 characters"),
  next: ZPassword,
});
