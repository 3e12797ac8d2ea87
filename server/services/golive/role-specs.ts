import type { GoLiveSettings } from "@/server/domain/golive";
import { formatEnv, type EnvEntry } from "@/server/services/env/env-format";
import { caddyfileFor, nginxSiteFor, NGINX_UPSTREAM_NAME, nginxUpstreamFor } from "./proxy-config";
import { GOLIVE_LABELS, type PublishedPort, type RoleSpec } from "./role-spec";

/** Everything the builders need: where each role runs, the secrets, the app's env and image. */
export interface StackLayout {
  stack: string;
  publicDomain: string;
  settings: GoLiveSettings;
  /** Private (or only) addresses of the hosts, by role; app may have several. */
  hosts: { db: string; cache: string; app: string[]; proxy: string; storage: string[] };
  /** The host names, to tell which roles share a host. */
  hostNames: { app: string[]; proxy: string };
  secrets: { dbRootPassword: string; dbPassword: string; cachePassword: string };
  db: { name: string; user: string };
  appImage: string;
  appEnv: EnvEntry[];
}

const labels = (stack: string, service: string) => ({
  [GOLIVE_LABELS.stack]: stack,
  [GOLIVE_LABELS.service]: service,
  [GOLIVE_LABELS.managed]: "1",
});
const privatePort = (ip: string, port: number): PublishedPort => ({ hostIp: ip, hostPort: port, containerPort: port });

/** MySQL 8.4 (or the stack's db image) on the db host: /srv/mysql/data, 3306 on the private address only. */
export function buildDbSpec(l: StackLayout): RoleSpec {
  const env = {
    MYSQL_ROOT_PASSWORD: l.secrets.dbRootPassword,
    MYSQL_DATABASE: l.db.name,
    MYSQL_USER: l.db.user,
    MYSQL_PASSWORD: l.secrets.dbPassword,
  };
  const envFile: EnvEntry[] = [
    ["DB_ROOT_PASSWORD", env.MYSQL_ROOT_PASSWORD],
    ["DB_NAME", l.db.name],
    ["DB_USER", l.db.user],
    ["DB_PASSWORD", env.MYSQL_PASSWORD],
  ];
  return {
    role: "db",
    container: "pxlfox-db",
    image: l.settings.images.db,
    env,
    ports: [privatePort(l.hosts.db, 3306)],
    binds: [{ host: "/srv/mysql/data", container: "/var/lib/mysql" }],
    networkMode: "bridge",
    labels: labels(l.stack, "db"),
    dirs: [{ path: "/srv/mysql/data", mode: "0750" }],
    files: [{ path: "/srv/mysql/.env", text: formatEnv(envFile), mode: "0600", secret: true }],
    corrections: [
      "no --default-authentication-plugin=mysql_native_password (the template passes it; MySQL 8.4 removed the option and refuses to start with it)",
      `3306 published on the private address ${l.hosts.db} only, not on every interface (the template's 3306:3306 would bypass the firewall)`,
    ],
  };
}

/** Dragonfly (or Redis) on the cache host: a generated password, 6379 on the private address only. */
export function buildCacheSpec(l: StackLayout): RoleSpec {
  const isDragonfly = l.settings.cacheFlavor === "dragonfly";
  return {
    role: "cache",
    container: "pxlfox-cache",
    image: l.settings.images.cache,
    // Security: the password goes in the environment (Dragonfly's DFLY_ flags), never in the command line.
    cmd: isDragonfly
      ? ["dragonfly", "--cache_mode=true", "--dir=/data"]
      : ["sh", "-c", 'exec redis-server --requirepass "$CACHE_PASSWORD" --dir /data'],
    env: isDragonfly ? { DFLY_requirepass: l.secrets.cachePassword } : { CACHE_PASSWORD: l.secrets.cachePassword },
    ports: [privatePort(l.hosts.cache, 6379)],
    binds: [{ host: "/srv/dragonfly/data", container: "/data" }],
    networkMode: "bridge",
    labels: labels(l.stack, "cache"),
    dirs: [{ path: "/srv/dragonfly/data", mode: "0750" }],
    files: [{ path: "/srv/dragonfly/.env", text: formatEnv([["CACHE_PASSWORD", l.secrets.cachePassword]]), mode: "0600", secret: true }],
    corrections: [
      "started with a generated password (the template has none: anyone who reaches 6379 reads the sessions); the app's env carries it as CACHE_PASSWORD",
      `6379 published on the private address ${l.hosts.cache} only, not on every interface (the template's 6379:6379 would bypass the firewall)`,
    ],
  };
}

/**
 * The app on one app host: Docker's bridge network as the template has it, 4000 published on loopback
 * when the proxy shares the host, else on the host's private address (the proxy dials it there).
 */
export function buildAppSpec(l: StackLayout, appIndex: number): RoleSpec {
  const address = l.hosts.app[appIndex] ?? l.hosts.app[0]!;
  const sharesProxy = l.hostNames.app[appIndex] === l.hostNames.proxy;
  const hostIp = sharesProxy ? "127.0.0.1" : address;
  return appLike(l, { role: "app", nodeId: null, hostIp, container: "pxlfox-app" }, [
    sharesProxy
      ? "4000 published on 127.0.0.1 only (the proxy shares this host)"
      : `4000 published on the private address ${address} (the proxy on another host dials it there), never on every interface`,
  ]);
}

/** A storage node: the app image with NODE_ID, its own uploads, the same REPLICATION_SECRET as the app. */
export function buildStorageSpec(l: StackLayout, index: number, nodeId: string): RoleSpec {
  const address = l.hosts.storage[index]!;
  return appLike(l, { role: "storage", nodeId, hostIp: address, container: "pxlfox-storage" }, [
    `4000 published on the private address ${address} only; NODE_ID=${nodeId}; REPLICATION_SECRET identical to the app's`,
  ]);
}

function appLike(
  l: StackLayout,
  o: { role: "app" | "storage"; nodeId: string | null; hostIp: string; container: string },
  corrections: string[],
): RoleSpec {
  const entries: EnvEntry[] = l.appEnv.filter(([k]) => k !== "APP_HOST" && k !== "APP_PORT" && k !== "NODE_ID");
  entries.push(["APP_HOST", "0.0.0.0"], ["APP_PORT", "4000"]);
  if (o.nodeId) entries.push(["NODE_ID", o.nodeId]);
  return {
    role: o.role,
    container: o.container,
    image: l.appImage,
    env: Object.fromEntries(entries),
    ports: [{ hostIp: o.hostIp, hostPort: 4000, containerPort: 4000 }],
    binds: [
      { host: "/srv/pixelfox/uploads", container: "/app/uploads" },
      { host: "/srv/pixelfox/tmp", container: "/app/tmp" },
    ],
    networkMode: "bridge",
    labels: { ...labels(l.stack, o.role), "com.pixelfox.port": "4000" },
    dirs: [
      { path: "/srv/pixelfox/uploads", mode: "0755" },
      { path: "/srv/pixelfox/tmp", mode: "0755" },
    ],
    files: [{ path: "/srv/pixelfox/.env", text: formatEnv(entries), mode: "0600", secret: true }],
    corrections: ["APP_HOST=0.0.0.0 (the app's default, localhost, is unreachable from outside its container)", ...corrections],
  };
}

/** The proxy on its host (host network, as the template has it), Caddy or Nginx, from the stack's public domain. */
export function buildProxySpec(l: StackLayout, dials: string[]): RoleSpec {
  const site = new URL(l.publicDomain);
  if (l.settings.proxy === "nginx") {
    return {
      role: "proxy",
      container: "pxlfox-proxy",
      image: l.settings.images.nginx,
      env: {},
      ports: [],
      binds: [
        // The nginx image's nginx.conf includes only conf.d/*.conf (Debian's adds sites-enabled/*): the site
        // goes where both load it, and this mount hides the image's default.conf (its welcome page).
        { host: "/srv/nginx/conf.d", container: "/etc/nginx/conf.d" },
        { host: "/srv/nginx/pixelfox", container: "/etc/nginx/pixelfox" },
      ],
      networkMode: "host",
      labels: labels(l.stack, "proxy"),
      dirs: [
        { path: "/srv/nginx/conf.d", mode: "0755" },
        { path: "/srv/nginx/pixelfox", mode: "0755" },
      ],
      files: [
        { path: "/srv/nginx/conf.d/pixelfox.conf", text: nginxSiteFor(site), mode: "0644" },
        { path: "/srv/nginx/pixelfox/upstream.conf", text: nginxUpstreamFor(dials), mode: "0644" },
      ],
      corrections: [
        `the site proxies to the upstream ${NGINX_UPSTREAM_NAME} (/etc/nginx/pixelfox/upstream.conf) instead of a fixed 127.0.0.1:4000, so deploys switch it with nginx -t and a graceful reload`,
        "the site is /etc/nginx/conf.d/pixelfox.conf, not sites-enabled/ (the nginx image loads only conf.d/*.conf; Debian's nginx loads both)",
      ],
    };
  }
  return {
    role: "proxy",
    container: "pxlfox-proxy",
    image: l.settings.images.caddy,
    env: {},
    ports: [],
    binds: [
      { host: "/srv/caddy/Caddyfile", container: "/etc/caddy/Caddyfile" },
      { host: "/srv/caddy/data", container: "/data" },
      { host: "/srv/caddy/config", container: "/config" },
    ],
    networkMode: "host",
    labels: labels(l.stack, "proxy"),
    dirs: [
      { path: "/srv/caddy/data", mode: "0700" },
      { path: "/srv/caddy/config", mode: "0700" },
    ],
    files: [{ path: "/srv/caddy/Caddyfile", text: caddyfileFor(site, dials, l.settings.acmeEmail), mode: "0644" }],
    corrections: [
      "admin API on 127.0.0.1:2019 only, and /data and /config on the host, so certificates and the config survive a restart",
      `reverse_proxy ${dials.join(" ")}: the panel keeps this line in step with every deploy`,
      "net.ipv4.tcp_migrate_req = 1 on the host (the plan does not set it): Caddy's config reloads then reset no connection",
    ],
    reloadSafety: true,
  };
}
