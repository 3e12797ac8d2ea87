import type { Stack } from "@prisma/client";
import { createSshDocker, mapDockerError, type DockerClient, type DockerConnector } from "@/server/adapters/docker";
import { db } from "@/server/db";
import { imageReference } from "@/server/domain/deploy";
import { AppError } from "@/server/errors";
import { usableTarget } from "@/server/services/inventory/host-target";
import { findLive, listAppContainers } from "@/server/services/deploy/app-containers";
import { buildMigrationSet, type MigrationFile } from "./migration-files";
import { readTarFiles } from "./tar-reader";

const MIGRATIONS_PATH = "/app/migrations";
const MAX_ARCHIVE_BYTES = 8 * 1024 * 1024;

export interface ImageMigrations {
  tag: string;
  image: string;
  host: string;
  files: MigrationFile[];
}

async function appHost(stack: Stack) {
  const service = await db.service.findFirst({
    where: { stackId: stack.id, kind: "app" },
    include: { host: true },
    orderBy: { createdAt: "asc" },
  });
  if (!service) throw new AppError("PRECONDITION_FAILED", `Stack ${stack.name} has no app service: its images carry the migrations.`);
  return { target: usableTarget(service.host, "reading migrations from its images"), containerName: service.containerName };
}

/** The tag the stack's live app container runs (first app host), or null when none runs. */
export async function findRunningTag(stack: Stack, dockerFor: DockerConnector = createSshDocker()): Promise<string | null> {
  const { target, containerName } = await appHost(stack);
  const live = findLive(await listAppContainers(dockerFor(target), containerName), containerName);
  return live?.tag ?? null;
}

/**
 * Reads the golang-migrate files shipped in an image of the stack, without starting it: a container
 * is created (never started), `/app/migrations` is fetched as a tar through the Docker API, and the
 * container is removed. The image must be on the first app host (deploys pull it there).
 */
export async function readImageMigrations(
  stack: Stack,
  tag?: string,
  dockerFor: DockerConnector = createSshDocker(),
): Promise<ImageMigrations> {
  const { target } = await appHost(stack);
  const chosen = tag ?? (await findRunningTag(stack, dockerFor));
  if (!chosen)
    throw new AppError("PRECONDITION_FAILED", `No app container runs for ${stack.name}: choose an image tag to read migrations from.`);
  const image = imageReference(stack.imageRepository, chosen);
  const docker = dockerFor(target);
  if (!(await docker.findImage(image)))
    throw new AppError("PRECONDITION_FAILED", `Image ${image} is not on ${target.name}: deploy or pull it first.`, { host: target.name });
  const archive = await fetchFolder(docker, image);
  const files = readTarFiles(archive).map((f) => ({ name: f.path, sql: f.data.toString("utf8") }));
  return { tag: chosen, image, host: target.name, files: buildMigrationSet(files) };
}

async function fetchFolder(docker: DockerClient, image: string): Promise<Buffer> {
  // Security: never started; no network, no command of ours runs. Only its filesystem is read.
  const container = await docker.createContainer(
    { Image: image, Cmd: ["/bin/true"], NetworkDisabled: true, Labels: { "pixelfox.ops/purpose": "read-migrations" } },
    { action: `create a stopped container from ${image}` },
  );
  try {
    const stream = await docker.readArchive(container, MIGRATIONS_PATH, {
      action: `read ${MIGRATIONS_PATH} from ${image}`,
      subject: `${MIGRATIONS_PATH} in ${image}`,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_ARCHIVE_BYTES)
        throw new AppError("BAD_REQUEST", `${MIGRATIONS_PATH} in ${image} is larger than 8 MB; refusing to read it.`);
      chunks.push(chunk);
    }
    return Buffer.concat(chunks);
  } catch (err) {
    // A read that breaks mid-stream is a transport error: word it like every other Docker failure.
    const e = mapDockerError(err, {
      target: docker.target,
      action: `read ${MIGRATIONS_PATH} from ${image}`,
      subject: `${MIGRATIONS_PATH} in ${image}`,
    });
    if (e.code === "NOT_FOUND") return Buffer.alloc(0);
    throw e;
  } finally {
    await docker.removeContainer(container, { force: true }).catch(() => undefined);
  }
}
