import { restCall, readField, optional, trim, dataOf, callerOf, stackName, type Scene, type Target } from "./injection-calls";

// The inputs of the inventory that reach a host, a path or a generated config file, as the injection
// spec (02-injection.spec.ts) feeds them: hosts, stacks and their services, deploys, migrations, the
// app's env, backup schedules and off-site storage. Each says how a refusal names it and how an accepted
// value is read back and undone; all of it acts on the spec's own stack and host.

export const baseStack = (scene: Pick<Scene, "run">) => ({
  name: stackName(scene),
  publicDomain: "http://127.0.0.1:9",
  imageRepository: "127.0.0.1:5000/pxf-inj/app",
  healthPath: "/api/v1/ping",
});
export const baseHost = (scene: Pick<Scene, "run" | "keyPath">) => ({
  name: `pxf-inj-host-${scene.run}`,
  // Nothing listens there: the host is stored, never reached (its key is never pinned).
  address: "127.0.0.1",
  sshPort: 1,
  sshUser: "root",
  dockerSocket: "/var/run/docker.sock",
  privateKeyPath: scene.keyPath,
});
const baseOffsite = (scene: Scene) => ({
  stack: stackName(scene),
  enabled: false,
  endpoint: "http://127.0.0.1:9",
  region: "us-east-1",
  bucket: "pxf-inj-bucket",
  prefix: "",
  forcePathStyle: true,
  accessKeyId: "pxf-inj-key",
  secretAccessKey: "pxf-inj-secret-value",
});
/** A valid tag on a stack with no app service: refused for the stack's state, not the value. */
const NO_SERVICE = /has no (app|proxy) service/;

function hostTargets(scene: Scene): Target[] {
  const q = callerOf(scene);
  const { hostId } = scene;
  const hostUpdate = (field: string, want: (v: string) => unknown): Target => ({
    name: `host.update ${field}`,
    field,
    send: (v) => q("mutation", "host.update", { id: hostId, ...baseHost(scene), [field]: v }),
    accepted: readField(field, want),
  });
  return [
    {
      name: "host.create name",
      field: "name",
      send: (v) => q("mutation", "host.create", { ...baseHost(scene), name: v }),
      accepted: readField<{ id: string; name: string }>("name", trim, (h) => q("mutation", "host.delete", { id: h.id })),
    },
    hostUpdate("name", trim),
    hostUpdate("address", trim),
    hostUpdate("sshUser", trim),
    hostUpdate("dockerSocket", trim),
    hostUpdate("privateAddress", optional),
    {
      name: "host.update privateKeyPath",
      field: "privateKeyPath",
      send: (v) => q("mutation", "host.update", { id: hostId, ...baseHost(scene), privateKeyPath: v }),
      // Only an empty path is taken (it keeps the stored key); any other string must not be read as a key.
      accepted: async (_a, v) => (v.trim() === "" ? null : "accepted as a key path"),
    },
  ];
}

function stackTargets(scene: Scene): Target[] {
  const q = callerOf(scene);
  const { request, stackId } = scene;
  const STACK = stackName(scene);
  const path = (v: string) => encodeURIComponent(v);
  const stackUpdate = (field: string, want: (v: string) => unknown): Target => ({
    name: `stack.update ${field}`,
    field,
    send: (v) => q("mutation", "stack.update", { id: stackId, ...baseStack(scene), [field]: v }),
    accepted: readField(field, want),
  });
  return [
    {
      name: "stack.create name",
      field: "name",
      send: (v) => q("mutation", "stack.create", { ...baseStack(scene), name: v }),
      accepted: readField<{ id: string; name: string }>("name", trim, (s) => q("mutation", "stack.delete", { id: s.id })),
    },
    stackUpdate("publicDomain", trim),
    stackUpdate("imageRepository", trim),
    stackUpdate("registryUrl", optional),
    stackUpdate("registryUsername", optional),
    stackUpdate("healthPath", trim),
    {
      name: "deploy.start tag",
      field: "tag",
      send: (v) => q("mutation", "deploy.start", { stack: STACK, tag: v }),
      inertRefusal: NO_SERVICE,
    },
    {
      name: "POST /api/v1/stacks/:stack/deployments tag",
      field: "tag",
      send: (v) => restCall(request, "POST", `/api/v1/stacks/${STACK}/deployments`, { tag: v }),
      inertRefusal: NO_SERVICE,
    },
    {
      name: "GET /api/v1/stacks/:stack/deployments (the stack in the URL)",
      field: null,
      send: (v) => restCall(request, "GET", `/api/v1/stacks/${path(v)}/deployments`),
      isNotFoundInert: true,
    },
    {
      name: "migrations.goto version",
      field: "version",
      send: (v) => q("mutation", "migrations.goto", { stack: STACK, version: v }),
    },
  ];
}

function serviceTargets(scene: Scene): Target[] {
  const q = callerOf(scene);
  const { stackId, hostId } = scene;
  return [
    {
      name: "service.create containerName",
      field: "containerName",
      send: (v) => q("mutation", "service.create", { stackId, hostId, kind: "app", containerName: v, settings: {} }),
      accepted: readField<{ id: string; containerName: string }>("containerName", trim, (s) =>
        q("mutation", "service.delete", { id: s.id }),
      ),
    },
    {
      name: "service.create settings.database",
      field: "settings",
      send: (v) => q("mutation", "service.create", { stackId, hostId, kind: "db", containerName: "pxf-inj-db", settings: { database: v } }),
      accepted: async (a, v) => {
        const s = dataOf<{ id: string; settings: { database?: unknown } }>(a);
        await q("mutation", "service.delete", { id: s.id });
        return { got: s.settings.database, want: v };
      },
    },
  ];
}

function stackSettingTargets(scene: Scene): Target[] {
  const q = callerOf(scene);
  const STACK = stackName(scene);
  const offsite = (field: string, want: (v: string) => unknown): Target => ({
    name: `offsite.save ${field}`,
    field,
    send: (v) => q("mutation", "offsite.save", { ...baseOffsite(scene), [field]: v }),
    accepted: readField(field, want),
  });
  return [
    {
      name: "env.save value",
      field: "content",
      send: (v) => q("mutation", "env.save", { stack: STACK, content: `PXF_INJ=${v}\n`, note: "" }),
      // The text is kept as written: revealed, it is the same bytes.
      accepted: async (a, v) => {
        const revealed = await q("mutation", "env.reveal", { id: dataOf<{ id: string }>(a).id });
        return { got: dataOf<{ text: string }>(revealed).text, want: `PXF_INJ=${v}\n` };
      },
    },
    { name: "env.save key", field: "content", send: (v) => q("mutation", "env.save", { stack: STACK, content: `${v}=x\n`, note: "" }) },
    {
      // The host names a row; the file's path is the panel's own. The spec's stack has no app host.
      name: "env.overwriteHostFile host",
      field: "host",
      send: (v) => q("mutation", "env.overwriteHostFile", { stack: STACK, host: v }),
      inertRefusal: /is not an app host of stack/,
    },
    {
      name: "schedules.create cron",
      field: "cron",
      send: (v) =>
        q("mutation", "schedules.create", {
          stack: STACK,
          kind: "backup",
          cron: v,
          enabled: false,
          keepLast: 1,
          keepDaily: 1,
          keepWeekly: 1,
        }),
      accepted: readField<{ id: string; cron: string }>("cron", trim, (s) => q("mutation", "schedules.delete", { id: s.id })),
    },
    offsite("endpoint", (v) => v.trim().replace(/\/+$/, "")),
    offsite("region", trim),
    offsite("bucket", trim),
    offsite("prefix", trim),
    offsite("accessKeyId", trim),
  ];
}

/** Groups run side by side; the targets of a group one after another (they share an object). */
export function inventoryTargets(scene: Scene): Target[][] {
  return [hostTargets(scene), stackTargets(scene), serviceTargets(scene), stackSettingTargets(scene)];
}
