import type { OffsiteStorage } from "@prisma/client";
import { assertOutboundLiteralAllowed } from "@/server/adapters/http/outbound-guard";
import { OUTBOUND } from "@/server/adapters/http/outbound-purposes";
import type { S3Settings } from "@/server/adapters/s3/types";
import { decryptSecret, encryptSecret } from "@/server/crypto";
import { db } from "@/server/db";
import type { TOffsiteSettingsInput } from "@/server/domain/offsite";
import { AppError } from "@/server/errors";
import type { Actor } from "@/server/services/auth/actor";
import { recordAuditEvent } from "@/server/services/audit/record-audit-event";
import { getStackRow } from "@/server/services/inventory/stacks";
import { invalidateStackSecrets } from "@/server/services/secrets/secret-cache";

const SECRET_AAD = "offsite.secretAccessKey";

/** Off-site settings as the API shows them. Security: the secret key is only reported as set or not. */
export interface OffsiteView {
  configured: boolean;
  enabled: boolean;
  endpoint: string;
  region: string;
  bucket: string;
  prefix: string;
  forcePathStyle: boolean;
  accessKeyId: string;
  hasSecret: boolean;
  updatedAt: Date | null;
}

/** Settings with the secret in clear, for the copy and test services only. */
export interface OffsiteSettings extends S3Settings {
  enabled: boolean;
  prefix: string;
}

function toView(row: OffsiteStorage | null): OffsiteView {
  if (!row)
    return {
      configured: false,
      enabled: false,
      endpoint: "",
      region: "us-east-1",
      bucket: "",
      prefix: "",
      forcePathStyle: true,
      accessKeyId: "",
      hasSecret: false,
      updatedAt: null,
    };
  return {
    configured: true,
    enabled: row.enabled,
    endpoint: row.endpoint,
    region: row.region,
    bucket: row.bucket,
    prefix: row.prefix,
    forcePathStyle: row.forcePathStyle,
    accessKeyId: row.accessKeyId,
    hasSecret: Boolean(row.secretAccessKeyEnc),
    updatedAt: row.updatedAt,
  };
}

export async function getOffsiteView(stackRef: string): Promise<OffsiteView> {
  const stack = await getStackRow(stackRef);
  return toView(await db.offsiteStorage.findUnique({ where: { stackId: stack.id } }));
}

/** The stack's settings with the secret decrypted, or null when none are stored. */
export async function loadOffsiteSettings(stackId: string): Promise<OffsiteSettings | null> {
  const row = await db.offsiteStorage.findUnique({ where: { stackId } });
  if (!row) return null;
  return {
    enabled: row.enabled,
    endpoint: row.endpoint,
    region: row.region,
    bucket: row.bucket,
    prefix: row.prefix,
    forcePathStyle: row.forcePathStyle,
    accessKeyId: row.accessKeyId,
    secretAccessKey: decryptSecret(row.secretAccessKeyEnc, SECRET_AAD),
  };
}

/** Creates or replaces a stack's off-site settings (ADMIN). An empty secret keeps the stored one. Audited without secrets. */
export async function saveOffsiteSettings(stackRef: string, input: TOffsiteSettingsInput, actor: Actor): Promise<OffsiteView> {
  const stack = await getStackRow(stackRef);
  // Security: the panel's own port (any spelling) and link-local / metadata addresses are refused
  // as written here, and on the resolved address at every connection (the S3 adapter).
  assertOutboundLiteralAllowed(input.endpoint, OUTBOUND.s3Endpoint);
  const existing = await db.offsiteStorage.findUnique({ where: { stackId: stack.id } });
  const secret = input.secretAccessKey?.trim() ?? "";
  if (!secret && !existing)
    throw new AppError("BAD_REQUEST", "A secret key is required the first time.", { data: { field: "secretAccessKey" } });
  const fields = {
    enabled: input.enabled,
    endpoint: input.endpoint.replace(/\/+$/, ""),
    region: input.region,
    bucket: input.bucket,
    prefix: input.prefix,
    forcePathStyle: input.forcePathStyle,
    accessKeyId: input.accessKeyId,
    ...(secret ? { secretAccessKeyEnc: encryptSecret(secret, SECRET_AAD) } : {}),
  };
  const row = existing
    ? await db.offsiteStorage.update({ where: { stackId: stack.id }, data: fields })
    : await db.offsiteStorage.create({ data: { stackId: stack.id, ...fields, secretAccessKeyEnc: encryptSecret(secret, SECRET_AAD) } });
  invalidateStackSecrets(stack.id);
  await recordAuditEvent(actor, {
    action: existing ? "offsite.update" : "offsite.create",
    target: stack.name,
    details: {
      enabled: row.enabled,
      endpoint: row.endpoint,
      bucket: row.bucket,
      prefix: row.prefix,
      region: row.region,
      forcePathStyle: row.forcePathStyle,
      secretChanged: Boolean(secret),
    },
  });
  return toView(row);
}
