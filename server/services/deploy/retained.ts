import type { DockerClient, RestartPolicyName } from "@/server/adapters/docker";
import type { JobContext } from "@/server/jobs/types";
import type { AppContainer } from "./app-containers";

/**
 * Retained (`-prev-`) containers are kept stopped for a one-click rollback. They must not come back on
 * their own: with restart policy "always" the Docker daemon restarts every such container when it
 * starts (a host reboot), and they then fight the live one for its port.
 */
export async function setRestartPolicy(
  docker: DockerClient,
  c: { id: string; name: string },
  policy: Extract<RestartPolicyName, "no" | "always">,
) {
  await docker.setRestartPolicy(c.id, policy, { action: `set the restart policy of ${c.name} to ${policy}` });
}

/**
 * Stops retained containers found running (brought back by a daemon restart, or started by hand) and
 * makes sure none of them restarts by itself. Only `-prev-` containers are touched: the live container
 * and anything that is not ours stay as they are.
 */
export async function quietRetained(docker: DockerClient, containerName: string, containers: AppContainer[], job: JobContext) {
  for (const c of containers.filter((x) => x.name.startsWith(`${containerName}-prev-`))) {
    if (c.running) {
      job.log(
        `${c.name} (${c.tag ?? "?"}) was running again, probably restarted by the Docker daemon; stopping it (it is kept for rollback)`,
        "warn",
      );
      await docker.stopContainer(c.id, { t: 5 }, { action: `stop ${c.name}` });
      c.running = false;
    }
    await setRestartPolicy(docker, c, "no");
  }
}
