import { z } from "zod";

export const RULE_KINDS = ["down", "disk", "inodes", "cert", "hostkey", "deploy_failed", "backup_stale", "audit_regressed"] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

const ZName = z.string().trim().min(1, "Give the channel a name").max(64);
const ZHostName = z
  .string()
  .trim()
  .min(1, "SMTP host is required")
  .max(253)
  .regex(/^[A-Za-z0-9.-]+$|^\[[0-9a-fA-F:]+\]$/, "A host name or IP address");

export const ZWebhookUrl = z
  .string()
  .trim()
  .max(2000)
  .url("A full URL, e.g. https://hooks.slack.com/services/…")
  .refine((u) => /^https?:$/.test(parseUrl(u)?.protocol ?? "http:"), "Only http:// or https:// URLs")
  .refine((u) => !parseUrl(u)?.username && !parseUrl(u)?.password, "Put no credentials in the URL's user part");

function parseUrl(u: string): URL | null {
  try {
    return new URL(u);
  } catch {
    return null;
  }
}

export const ZWebhookChannelInput = z.object({
  kind: z.literal("webhook"),
  name: ZName,
  url: ZWebhookUrl,
  enabled: z.boolean().default(true),
});

export const ZEmailChannelInput = z.object({
  kind: z.literal("email"),
  name: ZName,
  host: ZHostName,
  port: z.coerce.number().int("A whole number").min(1).max(65535),
  secure: z.boolean().default(false),
  username: z
    .string()
    .trim()
    .max(200)
    .optional()
    .transform((v) => v || null),
  /** Empty keeps the stored password when editing. */
  password: z.string().max(500).optional(),
  from: z.email("A valid sender address"),
  to: z.array(z.email("A valid recipient address")).min(1, "At least one recipient").max(20),
  enabled: z.boolean().default(true),
});

export const ZChannelInput = z.discriminatedUnion("kind", [ZWebhookChannelInput, ZEmailChannelInput]);
export type TChannelInput = z.infer<typeof ZChannelInput>;

export const ZRuleInput = z
  .object({
    kind: z.enum(RULE_KINDS),
    enabled: z.boolean(),
    threshold: z.number().finite().min(0).max(3650),
    consecutive: z.number().int().min(1, "At least 1").max(100),
    repeatMinutes: z.number().int().min(0).max(10_080),
  })
  .superRefine((r, ctx) => {
    if ((r.kind === "disk" || r.kind === "inodes") && (r.threshold < 1 || r.threshold > 99)) {
      ctx.addIssue({ code: "custom", path: ["threshold"], message: "A percentage between 1 and 99" });
    }
    if (r.kind === "backup_stale" && (r.threshold < 1 || r.threshold > 24 * 90)) {
      ctx.addIssue({ code: "custom", path: ["threshold"], message: "Between 1 and 2160 hours" });
    }
    if (r.kind === "cert" && (r.threshold < 1 || r.threshold > 365)) {
      ctx.addIssue({ code: "custom", path: ["threshold"], message: "Between 1 and 365 days" });
    }
  });
export type TRuleInput = z.infer<typeof ZRuleInput>;
