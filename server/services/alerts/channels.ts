import type { AlertChannel } from "@prisma/client";
import { db } from "@/server/db";
import { decryptSecret, encryptSecret } from "@/server/crypto";
import { AppError } from "@/server/errors";
import { sendEmail, type SmtpSettings } from "@/server/adapters/notify/smtp";
import { sendWebhook } from "@/server/adapters/notify/webhook";
import type { TChannelInput } from "@/server/domain/alerts";
import type { Role } from "@/server/domain/roles";
import { invalidateStackSecrets } from "@/server/services/secrets/secret-cache";
import { maskUrl, maskUsername, seesCredentials } from "@/server/services/secrets/mask";
import { assertChannelTargetAllowed } from "./channel-target";

const SECRET_AAD = "alertChannel.smtpPassword";

/**
 * A channel as the API shows it. Security: the SMTP password is only reported as set or not; for
 * non-admins the webhook URL keeps only its scheme and host, and the SMTP username is masked.
 */
export interface ChannelView {
  id: string;
  name: string;
  kind: "webhook" | "email";
  enabled: boolean;
  url: string | null;
  email: { host: string; port: number; secure: boolean; username: string | null; from: string; to: string[]; hasPassword: boolean } | null;
}

interface EmailConfig {
  host: string;
  port: number;
  secure: boolean;
  username: string | null;
  from: string;
  to: string[];
}

function toView(c: AlertChannel, role: Role): ChannelView {
  const cfg = JSON.parse(c.config) as { url?: string } & Partial<EmailConfig>;
  const isClear = seesCredentials(role);
  const url = cfg.url ?? null;
  const username = cfg.username ?? null;
  return {
    id: c.id,
    name: c.name,
    kind: c.kind === "email" ? "email" : "webhook",
    enabled: c.enabled,
    url: c.kind === "webhook" && url ? (isClear ? url : maskUrl(url)) : null,
    email:
      c.kind === "email"
        ? {
            host: cfg.host ?? "",
            port: cfg.port ?? 25,
            secure: Boolean(cfg.secure),
            username: username && !isClear ? maskUsername(username) : username,
            from: cfg.from ?? "",
            to: cfg.to ?? [],
            hasPassword: Boolean(c.secretEnc),
          }
        : null,
  };
}

/** Every channel, as the caller's role may see it. */
export async function listChannels(role: Role): Promise<ChannelView[]> {
  return (await db.alertChannel.findMany({ orderBy: { name: "asc" } })).map((c) => toView(c, role));
}

/**
 * What redaction must replace in any text: each webhook URL whole, its path (the token part, also
 * printed alone by some clients) and its long path segments, and each SMTP password.
 */
export async function listChannelSecrets(): Promise<string[]> {
  const out: string[] = [];
  for (const c of await db.alertChannel.findMany()) {
    const cfg = JSON.parse(c.config) as { url?: string };
    if (c.kind === "webhook" && cfg.url) out.push(cfg.url, ...urlTokenParts(cfg.url));
    if (c.secretEnc) out.push(decryptSecret(c.secretEnc, SECRET_AAD));
  }
  return out;
}

function urlTokenParts(url: string): string[] {
  try {
    const u = new URL(url);
    const path = `${u.pathname}${u.search}`;
    return [...(path.length >= 12 ? [path] : []), ...u.pathname.split("/").filter((seg) => seg.length >= 16)];
  } catch {
    return [];
  }
}

function toRow(input: TChannelInput, existing: AlertChannel | null) {
  assertChannelTargetAllowed(input);
  if (input.kind === "webhook") {
    return { name: input.name, kind: "webhook", enabled: input.enabled, config: JSON.stringify({ url: input.url }), secretEnc: null };
  }
  const config: EmailConfig = {
    host: input.host,
    port: input.port,
    secure: input.secure,
    username: input.username,
    from: input.from,
    to: input.to,
  };
  const secretEnc = input.password ? encryptSecret(input.password, SECRET_AAD) : existing?.kind === "email" ? existing.secretEnc : null;
  return { name: input.name, kind: "email", enabled: input.enabled, config: JSON.stringify(config), secretEnc };
}

/** Create or replace a channel (input validated by ZChannelInput). */
export async function saveChannel(input: TChannelInput & { id?: string }): Promise<ChannelView> {
  const existing = input.id ? await db.alertChannel.findUnique({ where: { id: input.id } }) : null;
  if (input.id && !existing) throw new AppError("NOT_FOUND", "Channel not found");
  const clash = await db.alertChannel.findUnique({ where: { name: input.name } });
  if (clash && clash.id !== input.id)
    throw new AppError("CONFLICT", `A channel named ${input.name} already exists`, { data: { field: "name" } });
  const data = toRow(input, existing);
  const row = existing ? await db.alertChannel.update({ where: { id: existing.id }, data }) : await db.alertChannel.create({ data });
  // Channels belong to every stack's redaction.
  invalidateStackSecrets();
  return toView(row, "ADMIN");
}

export async function deleteChannel(id: string): Promise<void> {
  await db.alertChannel.delete({ where: { id } }).catch(() => {
    throw new AppError("NOT_FOUND", "Channel not found");
  });
  invalidateStackSecrets();
}

/** Deliver one message through one channel; throws REMOTE_FAILED with the reason. */
export async function deliver(channel: AlertChannel, subject: string, text: string): Promise<void> {
  const cfg = JSON.parse(channel.config) as { url?: string } & EmailConfig;
  if (channel.kind === "webhook") {
    // The adapter checks the address again at send time, on the address it connects to.
    return sendWebhook(cfg.url ?? "", `${subject}\n${text}`);
  }
  const settings: SmtpSettings = { ...cfg, password: channel.secretEnc ? decryptSecret(channel.secretEnc, SECRET_AAD) : null };
  return sendEmail(settings, subject, text);
}

/** "Send test": one message through the channel, errors shown to the admin as they are. */
export async function sendTestMessage(id: string): Promise<{ ok: true }> {
  const channel = await db.alertChannel.findUnique({ where: { id } });
  if (!channel) throw new AppError("NOT_FOUND", "Channel not found");
  await deliver(
    channel,
    "[PixelFox Ops] Test notification",
    `This is a test from PixelFox Ops via channel "${channel.name}". If you read this, alerts will reach you here.`,
  );
  return { ok: true };
}
