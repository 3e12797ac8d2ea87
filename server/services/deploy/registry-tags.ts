import { listTags } from "@/server/adapters/registry";
import { getRegistryCredentials, getStackRow } from "@/server/services/inventory/stacks";

/** Tags of the stack's image repository, newest first, for the deploy form. */
export async function listRegistryTags(stack: string) {
  const s = await getStackRow(stack);
  const credentials = getRegistryCredentials(s) ?? undefined;
  const result = await listTags({ registryUrl: s.registryUrl ?? undefined, repository: s.imageRepository, credentials, limit: 50 });
  return result.tags;
}
