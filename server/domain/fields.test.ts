import { describe, expect, it } from "vitest";
import { ZCreateHostInput } from "./inventory";
import { ZAddress, ZImageTag, ZPort } from "./fields";

const KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n";

function fieldErrors(input: unknown): Record<string, string[]> {
  const r = ZCreateHostInput.safeParse(input);
  if (r.success) return {};
  const out: Record<string, string[]> = {};
  for (const i of r.error.issues) (out[String(i.path[0])] ??= []).push(i.message);
  return out;
}

const ok = { name: "app-1", address: "10.0.0.30", sshPort: 22, sshUser: "deploy", privateKey: KEY };

describe("host input", () => {
  it("accepts a valid host", () => {
    expect(fieldErrors(ok)).toEqual({});
  });

  it.each([
    ["address with a space", { address: "10.0.0.1 ; rm -rf /" }, "address"],
    ["address with shell characters", { address: "$(reboot)" }, "address"],
    ["address with backticks", { address: "`id`.example.com" }, "address"],
    ["empty name", { name: "" }, "name"],
    ["oversized name", { name: "a".repeat(64) }, "name"],
    ["port 0", { sshPort: 0 }, "sshPort"],
    ["port 70000", { sshPort: 70000 }, "sshPort"],
    ["port not a number", { sshPort: "ssh" }, "sshPort"],
    ["user with a space", { sshUser: "root user" }, "sshUser"],
    ["not a key", { privateKey: "hello, I am not a key" }, "privateKey"],
    ["relative key path", { privateKey: undefined, privateKeyPath: "keys/id" }, "privateKeyPath"],
    ["key path with ..", { privateKey: undefined, privateKeyPath: "/root/../etc/shadow" }, "privateKeyPath"],
    ["socket with ;", { dockerSocket: "/var/run/docker.sock;id" }, "dockerSocket"],
  ])("refuses %s with a field error", (_label, patch, field) => {
    const errors = fieldErrors({ ...ok, ...patch });
    expect(Object.keys(errors)).toContain(field);
  });

  it("requires a key from one source", () => {
    expect(fieldErrors({ ...ok, privateKey: undefined }).privateKey?.[0]).toMatch(/Paste a private key/);
  });
});

describe("building blocks", () => {
  it("addresses", () => {
    for (const a of ["10.213.77.11", "app.example.com", "::1", "fd00::2"]) expect(ZAddress.safeParse(a).success).toBe(true);
    for (const a of ["", "a b", "300.1.1.1", "host;id", "a\nb", "-x"]) expect(ZAddress.safeParse(a).success).toBe(false);
  });

  it("ports coerce form strings", () => {
    expect(ZPort.parse("2222")).toBe(2222);
  });

  it("image tags follow the Docker reference grammar", () => {
    for (const t of ["v1.0.0", "latest", "1.2.3-rc_1", `sha256:${"a".repeat(64)}`]) expect(ZImageTag.safeParse(t).success).toBe(true);
    for (const t of ["", "-bad", "v1;rm", "a".repeat(129), "sha256:xyz", "v1 0"]) expect(ZImageTag.safeParse(t).success).toBe(false);
  });
});
