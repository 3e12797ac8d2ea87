import http from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

/** A local Slack-style webhook receiver on 127.0.0.1 that keeps every `text` it is sent. */
export async function startWebhookReceiver() {
  const texts: string[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (body += c));
    req.on("end", () => {
      try {
        texts.push(String((JSON.parse(body) as { text?: unknown }).text ?? ""));
      } catch {
        texts.push(`unparsable: ${body}`);
      }
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, texts, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** A local SMTP server on 127.0.0.1 (no TLS, no auth) that keeps every message's raw text. */
export async function startSmtpReceiver() {
  const messages: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
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
  return { port, messages, close: () => new Promise<void>((r) => server.close(() => r())) };
}
