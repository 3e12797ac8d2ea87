import { z } from "zod";
import {
  ZAbsolutePath,
  ZAddress,
  ZContainerName,
  ZHostRoles,
  ZHttpUrl,
  ZId,
  ZImageRepository,
  ZName,
  ZOptional,
  ZPort,
  ZPrivateKeyText,
  ZServiceKind,
  ZSshUser,
} from "./fields";

const hostFields = {
  name: ZName,
  address: ZAddress,
  sshPort: ZPort.default(22),
  sshUser: ZSshUser.default("root"),
  privateAddress: ZOptional(ZAddress),
  dockerSocket: ZAbsolutePath.default("/var/run/docker.sock"),
  roles: ZHostRoles.default([]),
};

/** Key source: pasted text, or a path on the panel's own machine that is read once and encrypted. */
const keyFields = {
  privateKey: ZOptional(ZPrivateKeyText),
  privateKeyPath: ZOptional(ZAbsolutePath),
};

export const ZCreateHostInput = z.object({ ...hostFields, ...keyFields }).superRefine((v, ctx) => {
  if (!v.privateKey && !v.privateKeyPath) {
    ctx.addIssue({ code: "custom", path: ["privateKey"], message: "Paste a private key or give the path of one" });
  }
  if (v.privateKey && v.privateKeyPath) {
    ctx.addIssue({ code: "custom", path: ["privateKeyPath"], message: "Give either a pasted key or a path, not both" });
  }
});
export type TCreateHostInput = z.infer<typeof ZCreateHostInput>;

export const ZUpdateHostInput = z.object({ id: ZId, ...hostFields, ...keyFields }).superRefine((v, ctx) => {
  if (v.privateKey && v.privateKeyPath) {
    ctx.addIssue({ code: "custom", path: ["privateKeyPath"], message: "Give either a pasted key or a path, not both" });
  }
});
export type TUpdateHostInput = z.infer<typeof ZUpdateHostInput>;

export const ZHealthPath = z
  .string()
  .trim()
  .max(255, "At most 255 characters")
  .regex(/^\/[A-Za-z0-9/_.-]*$/, "A path starting with / (letters, digits, '/', '_', '.', '-')");

const stackFields = {
  name: ZName,
  publicDomain: ZHttpUrl,
  imageRepository: ZImageRepository,
  registryUrl: ZOptional(ZHttpUrl),
  registryUsername: ZOptional(
    z
      .string()
      .trim()
      .max(128, "At most 128 characters")
      .regex(/^[^\s]+$/, "No spaces"),
  ),
  /** Empty on update keeps the stored password. */
  registryPassword: ZOptional(z.string().max(1024, "At most 1024 characters")),
  healthPath: ZHealthPath.default("/api/v1/ping"),
};

export const ZCreateStackInput = z.object(stackFields);
export type TCreateStackInput = z.infer<typeof ZCreateStackInput>;
export const ZUpdateStackInput = z.object({ id: ZId, ...stackFields, clearRegistryPassword: z.boolean().optional() });
export type TUpdateStackInput = z.infer<typeof ZUpdateStackInput>;

export const ZServiceInput = z.object({
  stackId: ZId,
  hostId: ZId,
  kind: ZServiceKind,
  containerName: ZContainerName,
  settings: z.record(z.string().max(64), z.union([z.string().max(1024), z.number(), z.boolean()])).default({}),
});
export type TServiceInput = z.infer<typeof ZServiceInput>;
export const ZUpdateServiceInput = ZServiceInput.extend({ id: ZId });
export type TUpdateServiceInput = z.infer<typeof ZUpdateServiceInput>;
