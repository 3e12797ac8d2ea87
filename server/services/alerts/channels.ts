import type { AlertChannel } from "@prisma/client";
import { db } from "@/server/db";
import { decryptSecret, encryptSecret } from "@/server/crypto";
import { AppError } from "@/server/errors";
import { sendEmail, type SmtpSettings } from "@/server/adapters/notify/smtp";
import { sendWebhook } from "@/server/adapters/notify/webhook";
import type { TChannelInput } from "@/server/domain/alerts";
import { assertChannelTargetAllowed } from "./channel-target";

const SECRET_AAD = "alertChannel.smtpPassword";

/** A channel as the API shows it. Security: the SMTP password is only reported as set or not. */
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

function toView(c: AlertChannel): ChannelView {
  const cfg = JSON.parse(c.config) as { url?: string } & Partial<EmailConfig>;
  return {
    id: c.id,
    name: c.name,
    kind: c.kind === "email" ? "email" : "webhook",
    enabled: c.enabled,
    url: c.kind === "webhook" ? (cfg.url ?? null) : null,
    email:
      c.kind === "email"
        ? {
            host: cfg.host ?? "",
            port: cfg.port ?? 25,
            secure: Boolean(cfg.secure),
            username: cfg.username ?? null,
            from: cfg.from ?? "",
            to: cfg.to ?? [],
            hasPassword: Boolean(c.secretEnc),
          }
        : null,
  };
}

export async function listChannels(): Promise<ChannelView[]> {
  return (await db.alertChannel.findMany({ orderBy: { name: "asc" } })).map(toView);
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
  return toView(row);
}

export async function deleteChannel(id: string): Promise<void> {
  await db.alertChannel.delete({ where: { id } }).catch(() => {
    throw new AppError("NOT_FOUND", "Channel not found");
  });
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
