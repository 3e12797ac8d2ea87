import { expect, test } from "@playwright/test";
import { signIn } from "../support/panel";

const ADMIN = { email: "admin@pixelfox.test", password: "a-very-long-admin-password" };
const KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----";

const cases: { label: string; patch: Record<string, unknown>; field: string }[] = [
  { label: "empty name", patch: { name: "" }, field: "name" },
  { label: "oversized name", patch: { name: "x".repeat(300) }, field: "name" },
  { label: "port out of range", patch: { sshPort: 0 }, field: "sshPort" },
  { label: "address with spaces", patch: { address: "10.0.0.1 10.0.0.2" }, field: "address" },
  { label: "address with shell characters", patch: { address: "$(touch /tmp/pwned)" }, field: "address" },
  { label: "user with shell characters", patch: { sshUser: "root;id" }, field: "sshUser" },
  { label: "a non-key in the key field", patch: { privateKey: "ssh-ed25519 AAAAC3Nz... public" }, field: "privateKey" },
  { label: "socket path with ..", patch: { dockerSocket: "/var/../etc/passwd" }, field: "dockerSocket" },
];

test.describe("host API refuses bad input with a field error", () => {
  test.beforeEach(async ({ page }) => {
    await signIn(page, ADMIN.email, ADMIN.password);
  });

  for (const c of cases) {
    test(c.label, async ({ page }) => {
      const input = { name: "bad-host", address: "10.213.77.11", sshPort: 22, sshUser: "root", privateKey: KEY, ...c.patch };
      const res = await page.request.post("/api/trpc/host.create", { data: { json: input } });
      expect(res.status()).toBe(400);
      const body = (await res.json()) as { error: { json: { message: string; data: { fieldErrors: Record<string, string[]> } } } };
      expect(Object.keys(body.error.json.data.fieldErrors)).toContain(c.field);
      expect(body.error.json.message).not.toMatch(/at .*\.ts:\d+/); // never a stack trace
    });
  }

  test("a syntactically valid key that does not parse is refused by the server, naming the field", async ({ page }) => {
    const input = { name: "bad-key", address: "10.213.77.11", sshPort: 22, sshUser: "root", privateKey: KEY };
    const res = await page.request.post("/api/trpc/host.create", { data: { json: input } });
    expect(res.status()).toBe(400);
    const body = await res.json();
    expect(body.error.json.data.fieldErrors.privateKey[0]).toMatch(/not a private key/);
  });

  test("an unauthenticated caller gets 401", async ({ request }) => {
    const res = await request.get("/api/trpc/host.list");
    expect(res.status()).toBe(401);
  });
});
