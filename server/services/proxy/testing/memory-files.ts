/** Test helper: ProxyFiles over an in-memory map, with a hook to make writes misbehave. */
import type { ProxyFiles } from "../proxy-files";

export interface MemoryFiles extends ProxyFiles {
  files: Map<string, string>;
  writes: string[];
}

export function createMemoryFiles(
  initial: Record<string, string> = {},
  options: { mapPath?: (p: string) => string; onWrite?: (path: string, text: string) => string } = {},
): MemoryFiles {
  const files = new Map(Object.entries(initial));
  const writes: string[] = [];
  return {
    files,
    writes,
    locate: (path) => options.mapPath?.(path) ?? path,
    read: async (path) => files.get(path) ?? null,
    write: async (path, text) => {
      writes.push(path);
      files.set(path, options.onWrite ? options.onWrite(path, text) : text);
    },
    remove: async (path) => {
      writes.push(`rm ${path}`);
      files.delete(path);
    },
  };
}
