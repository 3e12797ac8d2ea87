/**
 * Test helpers: the real programs an operator may point at a host's .env, each run on a file in a
 * scratch directory and asked for the values it read (keys starting with `prefix`).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const findOnPath = (name: string): string | null =>
  (process.env.PATH ?? "/usr/bin:/bin")
    .split(":")
    .map((d) => path.join(d, name))
    .find((p) => fs.existsSync(p)) ?? null;

/** A bare environment: nothing of the test runner's leaks into what the readers see. */
const bareEnv = (vars: Record<string, string>) => ({ PATH: "/usr/bin:/bin", ...vars }) as unknown as NodeJS.ProcessEnv;
const pick = (pairs: [string, string][], prefix: string) => Object.fromEntries(pairs.filter(([k]) => k.startsWith(prefix)));
const run = (cmd: string, args: string[], dir: string, input?: string) =>
  execFileSync(cmd, args, { cwd: dir, input, env: bareEnv({ HOME: dir }), maxBuffer: 16 << 20, timeout: 20_000 });

/** `set -a; . ./FILE` in `shell` (sh is dash on Debian), then the environment it exports, byte-exact. */
export function readWithShell(shell: string, dir: string, file: string, prefix: string): Record<string, string> {
  const out = run(shell, ["-c", `set -a; . ./${file}; env -0`], dir).toString("utf8");
  const pairs = out
    .split("\0")
    .filter(Boolean)
    .map((e): [string, string] => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]);
  return pick(pairs, prefix);
}

/**
 * docker-compose 1.x: `--env-file FILE config` on a compose file whose one service has `K: "${K}"` for
 * each key, its printed YAML read back with the PyYAML docker-compose itself runs on. `config` prints a
 * `$` as `$$` (so its output is a valid compose file again): undone here.
 */
export function readWithComposeV1(dir: string, file: string, keys: string[]): Record<string, string> {
  const env = keys.map((k) => `      ${k}: "\${${k}}"`).join("\n");
  fs.writeFileSync(path.join(dir, "compose.yml"), `services:\n  s:\n    image: busybox\n    environment:\n${env}\n`);
  const yaml = run("docker-compose", ["--env-file", file, "-f", "compose.yml", "config"], dir);
  const json = run(
    "/usr/bin/python3",
    ["-c", "import sys, json, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)"],
    dir,
    yaml.toString(),
  );
  const config = JSON.parse(json.toString()) as { services: { s: { environment: Record<string, string> } } };
  return Object.fromEntries(Object.entries(config.services.s.environment).map(([k, v]) => [k, String(v).replaceAll("$$", "$")]));
}

export const GODOTENV_SRC = "/usr/share/gocode/src/github.com/joho/godotenv";

const READER_GO = `package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/joho/godotenv"
)

func main() {
	m, err := godotenv.Read(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	_ = json.NewEncoder(os.Stdout).Encode(m)
}
`;

/**
 * Builds a reader with the godotenv the stand-in app compiles in (Debian's golang-github-joho-godotenv-dev,
 * GOPATH mode, no download), the way fleet/images/app/go/build.sh builds the app. Returns its path.
 */
export function buildGodotenvReader(dir: string): string {
  const src = path.join(dir, "go", "src", "pxfenvread");
  fs.mkdirSync(src, { recursive: true });
  fs.writeFileSync(path.join(src, "main.go"), READER_GO);
  const bin = path.join(dir, "pxfenvread");
  execFileSync("go", ["build", "-o", bin, "."], {
    cwd: src,
    env: bareEnv({
      HOME: dir,
      GO111MODULE: "off",
      GOPATH: `${path.join(dir, "go")}:/usr/share/gocode`,
      GOFLAGS: "",
      CGO_ENABLED: "0",
      GOCACHE: path.join(os.tmpdir(), "pixelfox-go-build"),
    }),
    timeout: 60_000,
  });
  return bin;
}

/** What the app's loader (godotenv.Read) reads from FILE. */
export function readWithGodotenv(bin: string, dir: string, file: string, prefix: string): Record<string, string> {
  const m = JSON.parse(run(bin, [file], dir).toString()) as Record<string, string>;
  return pick(Object.entries(m), prefix);
}
