import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OutboundDeps } from "@/server/adapters/http/outbound-guard";
import { readPanelAddress } from "@/server/adapters/http/panel-address";
import { sendEmail, type SmtpSettings } from "./smtp";

/** A loopback SMTP server (no TLS, no auth) that counts connections and keeps messages. */
async function startSmtp() {
  const messages: string[] = [];
  let connections = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    onConnect(_session, callback) {
      connections++;
      callback();
    },
    onData(stream, _session, callback) {
      let raw = "";
      stream.setEncoding("utf8");
      stream.on("data", (c: string) => (raw += c));
      stream.on("end", () => {
        messages.push(raw);
        callback();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.server.address() as AddressInfo;
  return { port, messages, connections: () => connections, close: () => new Promise<void>((r) => server.close(() => r())) };
}

let panelSmtp: Awaited<ReturnType<typeof startSmtp>>;
let mailServer: Awaited<ReturnType<typeof startSmtp>>;
let deps: OutboundDeps;
const settings = (host: string, port: number): SmtpSettings => ({
  host,
  port,
  secure: false,
  username: null,
  password: null,
  from: "ops@pixelfox.test",
  to: ["admin@pixelfox.test"],
});

beforeAll(async () => {
  panelSmtp = await startSmtp();
  mailServer = await startSmtp();
  const resolve = async (host: string) => {
    if (host === "mail.test") return [{ address: "127.0.0.1", family: 4 }];
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
  };
  // The first server stands on "the panel's port".
  deps = { resolve, panel: readPanelAddress({ PORT: String(panelSmtp.port) }) };
});
afterAll(async () => {
  await panelSmtp.close();
  await mailServer.close();
});

describe("sendEmail through the outbound guard", () => {
  it.each(["[::ffff:127.0.0.1]", "::ffff:7f00:1", "localhost.", "0.0.0.0"])(
    "refuses %s on the panel's port: no connection is made",
    async (host) => {
      await expect(sendEmail(settings(host, panelSmtp.port), "s", "t", deps)).rejects.toMatchObject({
        code: "BAD_REQUEST",
        data: { field: "host", rule: "panel-itself" },
      });
      expect(panelSmtp.connections()).toBe(0);
    },
  );

  it("refuses a link-local SMTP host", async () => {
    await expect(sendEmail(settings("169.254.169.254", 25), "s", "t", deps)).rejects.toThrow(/link-local or cloud metadata/);
  });

  it("delivers to another loopback SMTP server, by address and by a name resolved through the guard", async () => {
    await sendEmail(settings("127.0.0.1", mailServer.port), "first", "hello", deps);
    await sendEmail(settings("mail.test", mailServer.port), "second", "hello", deps);
    expect(mailServer.messages.join("\n")).toMatch(/Subject: first[\s\S]*Subject: second/);
  });

  it("an unreachable server is REMOTE_FAILED naming host and port", async () => {
    const gone = await startSmtp();
    await gone.close();
    await expect(sendEmail(settings("127.0.0.1", gone.port), "s", "t", deps)).rejects.toMatchObject({
      code: "REMOTE_FAILED",
      message: expect.stringContaining(`127.0.0.1:${gone.port} failed: connect ECONNREFUSED`) as unknown,
    });
  });
});
