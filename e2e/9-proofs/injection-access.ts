import type { APIRequestContext } from "@playwright/test";
import { callerOf, dataOf, isInertStream, readField, restCall, trim, type Answer, type Scene, type Target } from "./injection-calls";

// The inputs outside the inventory that reach a host, a path or a query, as the injection spec
// (02-injection.spec.ts) feeds them: alert channels, tokens and users, the log streams' query, and
// the ids that routes and procedures look up.

const logStream = (request: APIRequestContext, params: Record<string, string>) =>
  restCall(request, "GET", `/api/logs/stream?${new URLSearchParams({ follow: "0", tail: "5", ...params })}`);
const streamIsInert = async (a: Answer) => isInertStream(a.text);

function accountTargets(scene: Scene): Target[] {
  const q = callerOf(scene);
  const channel = (
    field: string,
    channelOf: (v: string) => Record<string, unknown>,
    read: (c: Record<string, unknown>) => unknown,
    want: (v: string) => unknown,
  ): Target => ({
    name: `alerts.saveChannel ${field}`,
    field,
    // Disabled: nothing is ever sent to a channel of this spec's.
    send: (v) => q("mutation", "alerts.saveChannel", { channel: { enabled: false, ...channelOf(v) } }),
    accepted: async (a, v) => {
      const c = dataOf<Record<string, unknown> & { id: string }>(a);
      await q("mutation", "alerts.deleteChannel", { id: c.id });
      return { got: read(c), want: want(v) };
    },
  });
  const webhook = (v: Partial<Record<"name" | "url", string>>) => ({
    kind: "webhook",
    name: `pxf-inj-${scene.run}`,
    url: "http://127.0.0.1:9/pxf-inj",
    ...v,
  });
  const email = (v: Partial<Record<"host" | "from" | "to", string>>) => ({
    kind: "email",
    name: `pxf-inj-mail-${scene.run}`,
    host: v.host ?? "127.0.0.1",
    port: 25,
    from: v.from ?? "ops@pxf.test",
    to: [v.to ?? "admin@pxf.test"],
  });
  const emailOf = (c: Record<string, unknown>) => c.email as { host: string; from: string; to: string[] };
  return [
    channel(
      "name",
      (v) => webhook({ name: v }),
      (c) => c.name,
      trim,
    ),
    channel(
      "url",
      (v) => webhook({ url: v }),
      (c) => c.url,
      trim,
    ),
    channel(
      "host",
      (v) => email({ host: v }),
      (c) => emailOf(c).host,
      trim,
    ),
    channel(
      "from",
      (v) => email({ from: v }),
      (c) => emailOf(c).from,
      (v) => v,
    ),
    channel(
      "to",
      (v) => email({ to: v }),
      (c) => emailOf(c).to[0],
      (v) => v,
    ),
    {
      name: "token.create name",
      field: "name",
      send: (v) => q("mutation", "token.create", { name: v, role: "VIEWER", expiresInDays: 1 }),
      accepted: async (a, v) => {
        const { view } = dataOf<{ view: { id: string; name: string } }>(a);
        await q("mutation", "token.revoke", { id: view.id });
        return { got: view.name, want: v.trim() };
      },
    },
    {
      name: "user.create email",
      field: "email",
      send: (v) => q("mutation", "user.create", { email: v, password: "a-very-long-injection-password", role: "VIEWER" }),
      accepted: readField<{ id: string; email: string }>(
        "email",
        (v) => v.trim().toLowerCase(),
        (u) => q("mutation", "user.delete", { id: u.id }),
      ),
    },
  ];
}

function logTargets(scene: Scene): Target[] {
  const { request } = scene;
  return [
    {
      name: "logs host",
      field: "host",
      send: (v) => logStream(request, { host: v, container: "pxlfox-proxy" }),
      isNotFoundInert: true,
      // A value that is a valid host name can be the name of a host an earlier target made (unpinned).
      inertRefusal: /has no verified host key/,
      accepted: streamIsInert,
    },
    {
      name: "logs container",
      field: "container",
      send: (v) => logStream(request, { host: "app", container: v }),
      isNotFoundInert: true,
      accepted: streamIsInert,
    },
    {
      name: "logs q (regex)",
      field: "q",
      send: (v) => logStream(request, { host: "app", container: "pxlfox-proxy", q: v, regex: "1" }),
      accepted: streamIsInert,
    },
    {
      name: "logs q (text)",
      field: "q",
      send: (v) => logStream(request, { host: "app", container: "pxlfox-proxy", q: v }),
      accepted: streamIsInert,
    },
    {
      name: "logs tail",
      field: "tail",
      send: (v) => logStream(request, { host: "app", container: "pxlfox-proxy", tail: v }),
      accepted: streamIsInert,
    },
    {
      name: "logs since",
      field: "since",
      send: (v) => logStream(request, { host: "app", container: "pxlfox-proxy", since: v }),
      accepted: streamIsInert,
    },
    { name: "logs job", field: "job", send: (v) => logStream(request, { job: v }), isNotFoundInert: true, accepted: streamIsInert },
  ];
}

function lookupTargets(scene: Scene): Target[] {
  const q = callerOf(scene);
  const { request } = scene;
  const path = (v: string) => encodeURIComponent(v);
  return [
    {
      name: "GET /api/backups/:id/download",
      field: null,
      send: (v) => restCall(request, "GET", `/api/backups/${path(v)}/download`),
      isNotFoundInert: true,
    },
    {
      name: "GET /api/v1/jobs/:id",
      field: null,
      send: (v) => restCall(request, "GET", `/api/v1/jobs/${path(v)}`),
      isNotFoundInert: true,
    },
    {
      name: "GET /api/jobs/:id/log",
      field: null,
      send: (v) => restCall(request, "GET", `/api/jobs/${path(v)}/log`),
      isNotFoundInert: true,
    },
    {
      name: "GET /api/jobs/:id/events",
      field: null,
      send: (v) => restCall(request, "GET", `/api/jobs/${path(v)}/events`),
      isNotFoundInert: true,
    },
    {
      name: "POST /api/v1/jobs/:id/cancel",
      field: null,
      send: (v) => restCall(request, "POST", `/api/v1/jobs/${path(v)}/cancel`, {}),
      isNotFoundInert: true,
    },
    { name: "backups.drill id", field: "id", send: (v) => q("mutation", "backups.drill", { id: v }), isNotFoundInert: true },
    { name: "job.get id", field: "id", send: (v) => q("query", "job.get", { id: v }), isNotFoundInert: true },
    {
      name: "health.series subject",
      field: "subject",
      send: (v) => q("query", "health.series", { stack: "", subject: v, metrics: ["cpu"], hours: 1 }),
      accepted: async () => null,
    },
  ];
}

/** Groups run side by side; the targets of a group one after another. */
export function accessTargets(scene: Scene): Target[][] {
  return [accountTargets(scene), logTargets(scene), lookupTargets(scene)];
}
