import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/** The layering rules of STYLE.md, checked on the source tree itself so a new file cannot break them unseen. */
const ROOT = process.cwd();
const SOURCE_DIRS = ["app", "components", "server", "trpc", "scripts"];

function listSources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listSources(full));
    else if (/\.(ts|tsx)$/.test(name)) out.push(path.relative(ROOT, full));
  }
  return out;
}

const isTestOnly = (file: string) => /\.(int\.)?test\.ts$/.test(file) || file.split(path.sep).includes("testing");
const importsOf = (file: string) =>
  [...readFileSync(path.join(ROOT, file), "utf8").matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map((m) => m[1]!);
const production = SOURCE_DIRS.flatMap((d) => listSources(path.join(ROOT, d))).filter((f) => !isTestOnly(f));

describe("architecture", () => {
  it("production code never imports test-only code (fakes, test fleets, test stores)", () => {
    const offenders = production.flatMap((f) =>
      importsOf(f)
        .filter((s) => /(^|\/)testing\//.test(s))
        .map((s) => `${f} → ${s}`),
    );
    expect(offenders).toEqual([]);
  });

  it("services reach Docker only through the DockerClient port (no dockerode, no getDockerode)", () => {
    const services = production.filter((f) => f.startsWith(path.join("server", "services")));
    const offenders = services.flatMap((f) =>
      importsOf(f)
        .filter((s) => s === "dockerode" || s.endsWith("/docker-client"))
        .map((s) => `${f} → ${s}`),
    );
    expect(services.length).toBeGreaterThan(50);
    expect(offenders).toEqual([]);
  });

  it("services never import Next.js or tRPC", () => {
    const services = production.filter((f) => f.startsWith(path.join("server", "services")));
    const offenders = services.flatMap((f) =>
      importsOf(f)
        .filter((s) => /^(next(\/|$)|@trpc\/)/.test(s))
        .map((s) => `${f} → ${s}`),
    );
    expect(offenders).toEqual([]);
  });
});
