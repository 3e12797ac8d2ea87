import http from "node:http";

/** Test containers live on the cache host only; names start with this. */
export const TEST_PREFIX = "pxf-logtest-";

/** The known sequence: 200 stdout and 200 stderr lines with ANSI colours, then it idles. */
export const SEQUENCE_SCRIPT =
  "i=1; while [ $i -le 200 ]; do printf 'out %d \\033[32mgreen\\033[0m\\n' $i; printf 'err %d \\033[31mred\\033[0m\\n' $i >&2; i=$((i+1)); done; exec sleep 100000";

/** Keeps writing: one stdout line every 200 ms. */
export const LIVE_SCRIPT = 'i=1; while true; do echo "live $i"; i=$((i+1)); sleep 0.2; done';

function request(socketPath: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request(
      { socketPath, method, path, headers: payload ? { "content-type": "application/json", "content-length": payload.length } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

/** (Re)creates and starts a test container running `script` under busybox sh (no network). */
export async function startLogContainer(
  socketPath: string,
  name: string,
  script: string,
  image = "pxf/redis:7",
  hostConfig: Record<string, unknown> = {},
): Promise<void> {
  if (!name.startsWith(TEST_PREFIX)) throw new Error(`test containers must be named ${TEST_PREFIX}…`);
  await removeLogContainer(socketPath, name);
  const created = await request(socketPath, "POST", `/containers/create?name=${encodeURIComponent(name)}`, {
    Image: image,
    Entrypoint: ["/bin/sh", "-c", script],
    Cmd: [],
    Tty: false,
    HostConfig: { NetworkMode: "none", ...hostConfig },
    Labels: { "pixelfox.test": "logs" },
  });
  if (created.status !== 201) throw new Error(`create ${name}: ${created.status} ${created.body.toString()}`);
  const started = await request(socketPath, "POST", `/containers/${name}/start`);
  if (started.status !== 204) throw new Error(`start ${name}: ${started.status} ${started.body.toString()}`);
}

export async function removeLogContainer(socketPath: string, name: string): Promise<void> {
  await request(socketPath, "DELETE", `/containers/${encodeURIComponent(name)}?force=1`);
}

/** The container's log from the daemon itself, demultiplexed: frames in Docker's order. */
export async function readDockerLog(
  socketPath: string,
  name: string,
  tail: number | "all" = "all",
): Promise<{ stream: "stdout" | "stderr"; payload: Buffer }[]> {
  const res = await request(socketPath, "GET", `/containers/${name}/logs?stdout=1&stderr=1&tail=${tail}`);
  if (res.status !== 200) throw new Error(`logs ${name}: ${res.status}`);
  const frames: { stream: "stdout" | "stderr"; payload: Buffer }[] = [];
  for (let o = 0; o + 8 <= res.body.length;) {
    const len = res.body.readUInt32BE(o + 4);
    frames.push({ stream: res.body[o] === 2 ? "stderr" : "stdout", payload: res.body.subarray(o + 8, o + 8 + len) });
    o += 8 + len;
  }
  return frames;
}

/** Lines (without newline) of the daemon's log, with their stream. */
export async function readDockerLines(socketPath: string, name: string): Promise<{ stream: string; text: string }[]> {
  const frames = await readDockerLog(socketPath, name);
  const lines: { stream: string; text: string }[] = [];
  for (const f of frames)
    for (const t of f.payload.toString("utf8").replace(/\n$/, "").split("\n")) lines.push({ stream: f.stream, text: t });
  return lines;
}

/**
 * Host-side check that no logs request is still being served: counts the daemon's goroutines
 * inside its logs handler (dockerd's /debug/pprof on the host's own socket).
 */
export async function countDaemonLogRequests(socketPath: string): Promise<number> {
  const res = await request(socketPath, "GET", "/debug/pprof/goroutine?debug=1");
  let count = 0;
  for (const block of res.body.toString("utf8").split("\n\n")) {
    const m = /^(\d+) @/.exec(block);
    if (m && /getContainersLogs/.test(block)) count += Number(m[1]);
  }
  return count;
}
