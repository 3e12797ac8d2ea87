/**
 * Image recipes, built into tarballs under /var/cache/pixelfox-fleet/images/<name>-<hash>.tar.
 * The hash covers every recipe input, so a changed recipe rebuilds; nothing is ever pulled.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { CACHE_DIR, IMAGES_DIR } from "./paths.js";
import { ensureAptPackages } from "./apt.js";
import { log, run, runLogged, runOk } from "./proc.js";

export interface BuiltImage {
  name: string;
  hash: string;
  tar: string;
  changes: string[];
}

const IMG_CACHE = path.join(CACHE_DIR, "images");
const BUILD_LOG = path.join(CACHE_DIR, "build.log");
const RECIPE_VERSION = "1"; // bump to force rebuilding everything

function hashOf(parts: (string | Buffer)[]): string {
  const h = crypto.createHash("sha256").update(RECIPE_VERSION);
  for (const p of parts) h.update(String(Buffer.byteLength(p))).update(p);
  return h.digest("hex").slice(0, 16);
}
const fileStamp = (f: string) => {
  const st = fs.statSync(f);
  return `${f}:${st.size}:${st.mtimeMs}`;
};
const readRecipe = (...p: string[]) => fs.readFileSync(path.join(IMAGES_DIR, ...p));
function dirFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .sort()
    .map((f) => path.join(dir, f));
}

const inflight = new Map<string, Promise<string>>();

/** Run `build(dir)` into a fresh temp rootfs and tar it, unless the tar for this hash exists. */
function cachedTar(name: string, hash: string, build: (root: string) => Promise<void>): Promise<string> {
  const key = `${name}-${hash}`;
  if (!inflight.has(key))
    inflight.set(
      key,
      buildTar(name, hash, build).finally(() => inflight.delete(key)),
    );
  return inflight.get(key)!;
}

async function buildTar(name: string, hash: string, build: (root: string) => Promise<void>): Promise<string> {
  const tar = path.join(IMG_CACHE, `${name}-${hash}.tar`);
  if (fs.existsSync(tar)) return tar;
  fs.mkdirSync(IMG_CACHE, { recursive: true });
  const root = fs.mkdtempSync(path.join(CACHE_DIR, `build-${name}-`));
  try {
    await build(root);
    await runOk("tar", ["--numeric-owner", "-C", root, "-cf", `${tar}.tmp`, "."]);
    fs.renameSync(`${tar}.tmp`, tar);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(`${tar}.tmp`, { force: true });
  }
  for (const f of fs.readdirSync(IMG_CACHE)) {
    // drop tars of older recipes
    if (
      f.startsWith(`${name}-`) &&
      f.endsWith(".tar") &&
      f !== path.basename(tar) &&
      /^[0-9a-f]{16}\.tar$/.test(f.slice(name.length + 1))
    ) {
      fs.rmSync(path.join(IMG_CACHE, f), { force: true });
    }
  }
  return tar;
}

const mkdirs = (root: string, dirs: string[]) => dirs.forEach((d) => fs.mkdirSync(path.join(root, d), { recursive: true }));

/** busybox-static as /bin/busybox with applet symlinks, minimal /etc. */
async function busyboxRootfs(root: string): Promise<void> {
  mkdirs(root, ["bin", "sbin", "usr/bin", "usr/sbin", "etc", "root", "tmp", "var/tmp", "proc", "sys", "dev"]);
  fs.chmodSync(path.join(root, "tmp"), 0o1777);
  fs.copyFileSync("/bin/busybox", path.join(root, "bin/busybox"));
  fs.chmodSync(path.join(root, "bin/busybox"), 0o755);
  const applets = (await runOk("/bin/busybox", ["--list-full"]))
    .split("\n")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const a of applets) {
    const dst = path.join(root, a);
    if (a === "bin/busybox" || fs.existsSync(dst)) continue;
    fs.mkdirSync(path.dirname(dst), { recursive: true });
    fs.symlinkSync("/bin/busybox", dst);
  }
  fs.writeFileSync(path.join(root, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
  fs.writeFileSync(path.join(root, "etc/group"), "root:x:0:\nnogroup:x:65534:\n");
  fs.writeFileSync(path.join(root, "etc/hosts"), "127.0.0.1 localhost\n");
  fs.writeFileSync(path.join(root, "etc/nsswitch.conf"), "hosts: files dns\n");
}

/** Copy a dynamically linked binary and the shared libraries ldd lists. */
async function copyWithLibs(bin: string, root: string, dest = bin): Promise<void> {
  const copy = (src: string, dst: string) => {
    fs.mkdirSync(path.join(root, path.dirname(dst)), { recursive: true });
    fs.copyFileSync(fs.realpathSync(src), path.join(root, dst));
    fs.chmodSync(path.join(root, dst), 0o755);
  };
  copy(bin, dest);
  const ldd = await runOk("ldd", [bin]).catch(() => "");
  for (const line of ldd.split("\n")) {
    const m = line.match(/=>\s+(\/\S+)/) ?? line.match(/^\s*(\/\S+)\s+\(/);
    if (m?.[1] && !fs.existsSync(path.join(root, m[1]))) copy(m[1], m[1]);
  }
}

// ---- app ---------------------------------------------------------------------------------------

/**
 * The app tags the fleet builds and publishes, as data: each tag's /app/migrations is the union of
 * its `migrations` (a directory under images/app/, optionally only up to a version), and `env` is
 * baked into the image as ENV defaults (the host's env file / --env-file still override them).
 */
export interface AppTagSpec {
  tag: string;
  /** Accepts connections, never answers (the binary decides by "-broken" in the version). */
  broken?: boolean;
  migrations: { dir: string; upTo?: number }[];
  env?: Record<string, string>;
}

/**
 * v1.x: the stand-in never touched the schema; their SQL migrations (000002's CREATE INDEX,
 * 000003's ALTER TABLE ... ADD COLUMN) fail on tables the app's auto-migrate already created, so
 * these images keep the auto-migrate off by default. v2.x mimic the real repository: the app
 * creates the tables at start, migrations-v2 only seeds rows (and must run after a first start).
 */
const V1_ENV = { DB_AUTO_MIGRATE: "false" };
export const APP_TAG_SPECS: readonly AppTagSpec[] = [
  { tag: "v1.0.0", migrations: [{ dir: "migrations" }], env: V1_ENV },
  { tag: "v1.1.0", migrations: [{ dir: "migrations" }, { dir: "migrations-v1.1.0" }], env: V1_ENV },
  { tag: "v1.2.0-broken", broken: true, migrations: [{ dir: "migrations" }, { dir: "migrations-v1.1.0" }], env: V1_ENV },
  // Like the real repository: the app creates its tables, migration 000001 only seeds rows (the plan stacks run these).
  { tag: "v2.0.0", migrations: [{ dir: "migrations-v2", upTo: 1 }] },
  { tag: "v2.1.0", migrations: [{ dir: "migrations-v2" }] },
];
export const APP_TAGS: readonly string[] = APP_TAG_SPECS.map((t) => t.tag);
export const BROKEN_TAGS: string[] = APP_TAG_SPECS.filter((t) => t.broken).map((t) => t.tag);
const APP_DIR = path.join(IMAGES_DIR, "app");
const APP_GO_DIR = path.join(APP_DIR, "go");

function appTagSpec(tag: string): AppTagSpec {
  const spec = APP_TAG_SPECS.find((t) => t.tag === tag);
  if (!spec) throw new Error(`unknown app tag ${tag} (known: ${APP_TAGS.join(", ")})`);
  return spec;
}

/** The Go toolchain and the libraries the app compiles in (Debian packages, see apt-packages.txt). */
const GO_PACKAGES = [
  "golang-go",
  "golang-github-go-sql-driver-mysql-dev",
  "golang-github-gomodule-redigo-dev",
  "golang-golang-x-crypto-dev",
  "golang-github-joho-godotenv-dev",
];

/** What the binary is built from (every .go file and build.sh; not the README or the self-test), sorted. */
function appSourceFiles(): string[] {
  return dirFiles(APP_GO_DIR).filter((f) => (f.endsWith(".go") || path.basename(f) === "build.sh") && fs.statSync(f).isFile());
}

/** Static binary built from images/app/go with build.sh (Go in GOPATH mode); cached by source hash. */
let compiling: Promise<string> | null = null;
function compileApp(): Promise<string> {
  compiling ??= doCompileApp().finally(() => {
    compiling = null;
  });
  return compiling;
}
/** `go version` and the Go packages' versions; installs missing ones (fleet/apt-packages.txt) first. */
async function goToolchain(): Promise<string[]> {
  const query = () => run("dpkg-query", ["-W", "-f=${Package} ${Version} ${Status}\n", ...GO_PACKAGES]);
  const complete = (r: { code: number; stdout: string }) =>
    r.code === 0 && r.stdout.split("\n").filter((l) => l.endsWith(" install ok installed")).length === GO_PACKAGES.length;
  let q = await query();
  if (!complete(q)) {
    await ensureAptPackages();
    q = await query();
    if (!complete(q)) throw new Error(`Go packages missing after apt install (${GO_PACKAGES.join(" ")}): ${q.stdout}${q.stderr}`);
  }
  return [await runOk("go", ["version"]), q.stdout];
}

async function doCompileApp(): Promise<string> {
  const toolchain = await goToolchain();
  const files = appSourceFiles();
  const hash = hashOf([...toolchain, ...files.flatMap((f) => [path.basename(f), fs.readFileSync(f)])]);
  const out = path.join(CACHE_DIR, "bin", `pixelfox-app-${hash}`);
  if (fs.existsSync(out)) return out;
  log("building stand-in app (static, Go)…");
  fs.mkdirSync(path.dirname(out), { recursive: true });
  await runOk("sh", [path.join(APP_GO_DIR, "build.sh"), out], {
    env: { ...process.env, GOCACHE: path.join(CACHE_DIR, "go-build"), TMPDIR: CACHE_DIR },
  });
  return out;
}

/** The tag's migration files, in the order they are copied (a later file of the same name wins). */
function appMigrations(tag: string): string[] {
  const files: string[] = [];
  for (const m of appTagSpec(tag).migrations) {
    for (const f of dirFiles(path.join(APP_DIR, m.dir))) {
      const version = Number(path.basename(f).match(/^(\d+)_/)?.[1] ?? NaN);
      if (!/\.(up|down)\.sql$/.test(f) || !Number.isFinite(version)) continue;
      if (m.upTo !== undefined && version > m.upTo) continue;
      files.push(f);
    }
  }
  return files;
}

export async function buildAppImage(tag: string): Promise<BuiltImage> {
  const spec = appTagSpec(tag);
  const bin = await compileApp();
  const migrations = appMigrations(tag);
  const env = Object.entries({ APP_HOST: "0.0.0.0", APP_PORT: "4000", ...spec.env });
  const hash = hashOf([
    tag,
    fileStamp("/bin/busybox"),
    path.basename(bin),
    JSON.stringify(env),
    ...migrations.flatMap((f) => [path.basename(f), fs.readFileSync(f)]),
  ]);
  const tar = await cachedTar(`app-${tag}`, hash, async (root) => {
    await busyboxRootfs(root);
    mkdirs(root, ["app/migrations", "app/uploads", "app/tmp"]);
    fs.copyFileSync(bin, path.join(root, "app/pixelfox-app"));
    fs.chmodSync(path.join(root, "app/pixelfox-app"), 0o755);
    fs.writeFileSync(path.join(root, "app/VERSION"), tag + "\n");
    for (const f of migrations) fs.copyFileSync(f, path.join(root, "app/migrations", path.basename(f)));
  });
  return {
    name: `app:${tag}`,
    hash,
    tar,
    changes: [
      "WORKDIR /app",
      'CMD ["/app/pixelfox-app"]',
      "EXPOSE 4000",
      `ENV ${env.map(([k, v]) => `${k}=${v}`).join(" ")}`,
      `LABEL org.opencontainers.image.version=${tag} org.opencontainers.image.title=pixelfox-app`,
    ],
  };
}

// ---- redis / caddy ------------------------------------------------------------------------------

export async function buildRedisImage(): Promise<BuiltImage> {
  const hash = hashOf(["redis", fileStamp("/bin/busybox"), fileStamp("/usr/bin/redis-check-rdb"), fileStamp("/usr/bin/redis-cli")]);
  const tar = await cachedTar("redis", hash, async (root) => {
    await busyboxRootfs(root);
    // Debian's redis-server is a symlink to redis-check-rdb; the binary picks its mode by name.
    await copyWithLibs("/usr/bin/redis-check-rdb", root, "/usr/bin/redis-server");
    await copyWithLibs("/usr/bin/redis-cli", root);
    mkdirs(root, ["data"]);
  });
  return { name: "redis", hash, tar, changes: ["WORKDIR /data", 'CMD ["redis-server"]', "EXPOSE 6379"] };
}

export async function buildCaddyImage(): Promise<BuiltImage> {
  const cfg = readRecipe("caddy", "caddy.json");
  const caddyfile = readRecipe("caddy", "Caddyfile");
  const hash = hashOf(["caddy", fileStamp("/bin/busybox"), fileStamp("/usr/bin/caddy"), cfg, caddyfile]);
  const tar = await cachedTar("caddy", hash, async (root) => {
    await busyboxRootfs(root);
    await copyWithLibs("/usr/bin/caddy", root);
    mkdirs(root, ["etc/caddy", "data", "config", "srv"]);
    fs.writeFileSync(path.join(root, "etc/caddy/caddy.json"), cfg);
    fs.writeFileSync(path.join(root, "etc/caddy/Caddyfile"), caddyfile);
  });
  // The caddy:2 image's default command (a Caddyfile); the core stack's container names caddy.json.
  return {
    name: "caddy",
    hash,
    tar,
    changes: [
      "ENV XDG_CONFIG_HOME=/config XDG_DATA_HOME=/data HOME=/root",
      "WORKDIR /srv",
      'CMD ["caddy", "run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"]',
      "EXPOSE 80 443 2019",
    ],
  };
}

/** Redis behind a `dragonfly` command that takes Dragonfly's flags (the plan's cache; no Dragonfly here). */
export async function buildDragonflyImage(): Promise<BuiltImage> {
  const shim = readRecipe("dragonfly", "dragonfly");
  const hash = hashOf([
    "dragonfly",
    fileStamp("/bin/busybox"),
    fileStamp("/usr/bin/redis-check-rdb"),
    fileStamp("/usr/bin/redis-cli"),
    shim,
  ]);
  const tar = await cachedTar("dragonfly", hash, async (root) => {
    await busyboxRootfs(root);
    await copyWithLibs("/usr/bin/redis-check-rdb", root, "/usr/bin/redis-server");
    await copyWithLibs("/usr/bin/redis-cli", root);
    mkdirs(root, ["data", "usr/local/bin"]);
    fs.writeFileSync(path.join(root, "usr/local/bin/dragonfly"), shim, { mode: 0o755 });
  });
  return { name: "dragonfly", hash, tar, changes: ["WORKDIR /data", 'CMD ["dragonfly", "--logtostderr"]', "EXPOSE 6379"] };
}

/** Debian's nginx on a debootstrap rootfs; sites in /etc/nginx/sites-enabled as the plan's example has them. */
export async function buildNginxImage(): Promise<BuiltImage> {
  const mirror = debianMirror();
  const include = "nginx";
  const conf = readRecipe("nginx", "nginx.conf");
  const hash = hashOf(["nginx", mirror, include, conf]);
  const tar = await cachedTar("nginx", hash, async (root) => {
    log("building nginx image with debootstrap (first run, ~1 min, log: " + BUILD_LOG + ")…");
    await debootstrap(root, include, mirror);
    fs.rmSync(path.join(root, "etc/nginx/sites-enabled/default"), { force: true });
    fs.writeFileSync(path.join(root, "etc/nginx/nginx.conf"), conf);
    mkdirs(root, ["var/log/nginx", "etc/nginx/sites-available", "etc/nginx/sites-enabled"]);
  });
  return { name: "nginx", hash, tar, changes: ['CMD ["nginx", "-g", "daemon off;"]', "EXPOSE 80 443"] };
}

// ---- mariadb (debootstrap) ------------------------------------------------------------------------

function debianMirror(): string {
  try {
    const src = fs.readFileSync("/etc/apt/sources.list.d/debian.sources", "utf8");
    for (const block of src.split(/\n\s*\n/)) {
      const uri = block.match(/^URIs:\s*(\S+)/m)?.[1];
      const suites = block.match(/^Suites:\s*(.+)$/m)?.[1] ?? "";
      if (uri && /\bbookworm\b/.test(suites)) return uri;
    }
  } catch {
    /* fall through */
  }
  try {
    const m = fs.readFileSync("/etc/apt/sources.list", "utf8").match(/^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+bookworm\s/m);
    if (m?.[1]) return m[1];
  } catch {
    /* fall through */
  }
  return "http://deb.debian.org/debian";
}

// Two debootstraps sharing one --cache-dir race on it (one failed with exit 1 right after "Base system
// installed successfully" on a fresh machine): they take turns.
let debootstrapTurn: Promise<unknown> = Promise.resolve();

/** A bookworm minbase rootfs with `include` installed, without apt caches and docs. */
function debootstrap(root: string, include: string, mirror: string): Promise<void> {
  const mine = debootstrapTurn.then(() => debootstrapNow(root, include, mirror));
  debootstrapTurn = mine.catch(() => undefined);
  return mine;
}

async function debootstrapNow(root: string, include: string, mirror: string): Promise<void> {
  const debs = path.join(CACHE_DIR, "debootstrap-debs");
  fs.mkdirSync(debs, { recursive: true });
  await runLogged("debootstrap", ["--variant=minbase", `--include=${include}`, `--cache-dir=${debs}`, "bookworm", root, mirror], BUILD_LOG);
  for (const d of ["var/cache/apt/archives", "var/lib/apt/lists", "usr/share/doc", "usr/share/man", "usr/share/info"]) {
    fs.rmSync(path.join(root, d), { recursive: true, force: true });
    fs.mkdirSync(path.join(root, d), { recursive: true });
  }
}

export async function buildMariadbImage(): Promise<BuiltImage> {
  const mirror = debianMirror();
  const include = "mariadb-server,mariadb-client,gzip,procps";
  const entry = readRecipe("mariadb", "entrypoint.sh");
  const hash = hashOf(["mariadb", mirror, include, entry]);
  const tar = await cachedTar("mariadb", hash, async (root) => {
    log("building mariadb image with debootstrap (first run, ~1-2 min, log: " + BUILD_LOG + ")…");
    await debootstrap(root, include, mirror);
    fs.rmSync(path.join(root, "var/lib/mysql"), { recursive: true, force: true });
    mkdirs(root, ["var/lib/mysql", "run/mysqld", "backups"]);
    fs.writeFileSync(path.join(root, "usr/local/bin/pxf-entrypoint"), entry, { mode: 0o755 });
  });
  return {
    name: "mariadb",
    hash,
    tar,
    changes: ['ENTRYPOINT ["/usr/local/bin/pxf-entrypoint"]', "EXPOSE 3306", "ENV LANG=C.UTF-8"],
  };
}

/** Build every tarball (in parallel) so later steps only import. */
export async function buildAllImages(): Promise<void> {
  await Promise.all([
    buildMariadbImage(),
    buildRedisImage(),
    buildCaddyImage(),
    buildDragonflyImage(),
    buildNginxImage(),
    ...APP_TAGS.map(buildAppImage),
  ]);
}
