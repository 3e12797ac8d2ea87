import { z } from "zod";

// S3 bucket naming rules (the common subset every provider accepts).
const BUCKET = /^(?=.{3,63}$)[a-z0-9][a-z0-9.-]*[a-z0-9]$/;
const PREFIX = /^[A-Za-z0-9!_.*'()/-]*$/;

/** http(s) URL without credentials, query or fragment. The "not the panel itself" rule needs the panel's address: see the service. */
export const ZS3Endpoint = z
  .string()
  .trim()
  .min(1, "An endpoint URL is required")
  .max(300)
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: "custom", message: "Not a URL: use e.g. https://s3.eu-central-1.amazonaws.com or http://127.0.0.1:4569" });
      return;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:")
      ctx.addIssue({ code: "custom", message: "Must start with http:// or https://" });
    // Security: credentials belong in the key fields (encrypted), never in a URL that is shown and logged.
    if (url.username || url.password)
      ctx.addIssue({ code: "custom", message: "Must not contain a user or password: use the access key fields" });
    if (url.search || url.hash) ctx.addIssue({ code: "custom", message: "Must not have a query string or fragment" });
  });

export const ZOffsiteSettingsInput = z.object({
  enabled: z.boolean(),
  endpoint: ZS3Endpoint,
  region: z
    .string()
    .trim()
    .regex(/^[a-z0-9-]{1,40}$/, "Lower-case letters, digits and dashes, e.g. us-east-1"),
  bucket: z.string().trim().regex(BUCKET, "3-63 lower-case letters, digits, dots or dashes, starting and ending with a letter or digit"),
  prefix: z
    .string()
    .trim()
    .max(200, "At most 200 characters")
    .regex(PREFIX, "Letters, digits and !_.*'()/- only")
    .refine((p) => !p.startsWith("/"), "Must not start with /")
    .refine((p) => !p.split("/").includes(".."), "Must not contain .."),
  forcePathStyle: z.boolean(),
  accessKeyId: z.string().trim().min(1, "An access key id is required").max(128).regex(/^\S+$/, "No spaces"),
  /** Empty keeps the stored secret. Security: write-only, never returned. */
  secretAccessKey: z.string().max(256).optional(),
});
export type TOffsiteSettingsInput = z.infer<typeof ZOffsiteSettingsInput>;

/** The object key of a stored backup file under a prefix ("backups" or "backups/" both give "backups/<file>"). */
export function offsiteKeyFor(prefix: string, fileName: string): string {
  const p = prefix.trim();
  if (!p) return fileName;
  return p.endsWith("/") ? `${p}${fileName}` : `${p}/${fileName}`;
}
