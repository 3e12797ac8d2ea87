// The e2e run's recording reverse proxy: listens where the tests reach the panel and forwards every
// request to the panel behind it as a straight pipe (bodies streamed both ways, never buffered, so
// SSE and NDJSON streams pass at once), while keeping a copy of each /api/* response body for the
// redaction scan (scripts/testing/redaction-scan.ts). Plain Node, no dependencies.
//
//   node scripts/e2e-recorder.mjs --listen 127.0.0.1:3100 --target 127.0.0.1:3101 --out /tmp/pxf-e2e-record
//
// Each recorded response is appended to <out>/api-bodies.rec as one JSON header line, then exactly
// `bytes` bytes of body (content-encoding undone), then "\n". Bodies are capped (MAX_BODY_BYTES).
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { Duplex } from "node:stream";
import { parseArgs } from "node:util";
import zlib from "node:zlib";

const MAX_BODY_BYTES = 2 * 1024 * 1024;
const LINGER_MS = 2_000;
/** Headers that describe one connection, not the message: each hop sets its own. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "upgrade", "expect", "trailer"]);
const TEXT_TYPE = /^(text\/|application\/(json|x-ndjson|xml|javascript|x-www-form-urlencoded|problem\+json))|\+json|\+xml/;

const { values } = parseArgs({ options: { listen: { type: "string" }, target: { type: "string" }, out: { type: "string" } } });
if (!values.listen || !values.target || !values.out) {
  console.error("usage: e2e-recorder.mjs --listen HOST:PORT --target HOST:PORT --out DIR");
  process.exit(2);
}
const [listenHost, listenPort] = splitHostPort(values.listen);
const [targetHost, targetPort] = splitHostPort(values.target);
fs.mkdirSync(values.out, { recursive: true });
const sink = fs.createWriteStream(path.join(values.out, "api-bodies.rec"), { flags: "a" });
let seq = 0;

function splitHostPort(value) {
  const i = value.lastIndexOf(":");
  return [value.slice(0, i), Number(value.slice(i + 1))];
}

/** rawHeaders without the hop-by-hop ones, as the flat [name, value, …] list Node takes. */
function endToEndHeaders(raw) {
  const out = [];
  for (let i = 0; i < raw.length; i += 2) if (!HOP_BY_HOP.has(raw[i].toLowerCase())) out.push(raw[i], raw[i + 1]);
  return out;
}

function decoderFor(encoding, type) {
  const e = (encoding ?? "").trim().toLowerCase();
  const chain = [];
  if (e === "gzip" || e === "x-gzip") chain.push(zlib.createGunzip());
  else if (e === "deflate") chain.push(zlib.createInflate());
  else if (e === "br") chain.push(zlib.createBrotliDecompress());
  else if (e && e !== "identity") return null;
  // A gzipped log download: its text is what could leak.
  if (/^application\/(gzip|x-gzip)/.test(type)) chain.push(zlib.createGunzip());
  return chain;
}

/**
 * A tap that keeps a capped, decoded copy of a response body and appends it once the response is
 * over: `finish()` when it ended, `abort(note)` when it was cut short (whichever comes first counts).
 */
function startRecording(req, up) {
  const type = String(up.headers["content-type"] ?? "").toLowerCase();
  const chain = decoderFor(up.headers["content-encoding"], type);
  if (!chain || !(TEXT_TYPE.test(type) || /gzip/.test(type))) return null;
  const meta = { seq: ++seq, at: new Date().toISOString(), method: req.method, url: req.url, status: up.statusCode, type };
  const chunks = [];
  let size = 0;
  let isFull = false;
  let isOver = false;
  let isWritten = false;
  const keep = (chunk) => {
    if (isFull) return;
    const room = MAX_BODY_BYTES - size;
    if (chunk.length >= room) isFull = true;
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    chunks.push(part);
    size += part.length;
  };
  const write = (note) => {
    if (isWritten) return;
    isWritten = true;
    const body = Buffer.concat(chunks, size);
    const header = JSON.stringify({ ...meta, bytes: body.length, truncated: isFull, ...(note ? { note } : {}) });
    sink.write(Buffer.concat([Buffer.from(`${header}\n`), body, Buffer.from("\n")]));
  };
  const head = chain[0];
  if (head) {
    for (let i = 0; i < chain.length - 1; i++) chain[i].pipe(chain[i + 1]);
    const last = chain[chain.length - 1];
    last.on("data", (chunk) => {
      keep(chunk);
      // Past the cap nothing more is decoded: a full copy costs nothing more.
      if (isFull) head.destroy();
    });
    last.on("end", () => write());
    for (const z of chain)
      z.on("error", (err) => {
        write(`decoding stopped: ${err.code ?? err.message}`);
        head.destroy();
      });
  }
  return {
    write(chunk) {
      if (isOver || isFull) return;
      if (!head) return keep(chunk);
      if (!head.destroyed) head.write(chunk);
    },
    finish() {
      if (isOver) return;
      isOver = true;
      if (!head || isFull || head.destroyed) return write();
      head.end();
    },
    abort(note) {
      if (isOver) return;
      isOver = true;
      write(note);
      head?.destroy();
    },
  };
}

/**
 * A connection to the panel whose writes cannot lose the panel's answer. When the panel answers early
 * and closes (a 413 while the client is still uploading), a failed write on a net.Socket destroys it at
 * once, dropping the answer already received but not yet read, which the client would have read had it
 * talked to the panel directly. So the body is written to the socket's descriptor here (a failed write
 * only stops further ones) while Node keeps reading it as usual; a reset after the answer ends it.
 */
function connectToPanel() {
  const socket = net.connect({ host: targetHost, port: targetPort });
  socket.setNoDelay(true);
  let isWriteClosed = false;
  const writeOut = (chunk, done) => {
    if (isWriteClosed || socket.destroyed) return done();
    if (socket.connecting) return void socket.once("connect", () => writeOut(chunk, done));
    const fd = socket._handle?.fd;
    if (typeof fd !== "number" || fd < 0) return void socket.write(chunk, () => done());
    try {
      const n = fs.writeSync(fd, chunk);
      if (n < chunk.length) return void setTimeout(() => writeOut(chunk.subarray(n), done), 1);
      done();
    } catch (err) {
      if (err.code === "EAGAIN") return void setTimeout(() => writeOut(chunk, done), 1);
      isWriteClosed = true;
      done();
    }
  };
  const conn = new Duplex({
    read() {
      socket.resume();
    },
    write: (chunk, _encoding, done) => writeOut(chunk, done),
    final(done) {
      writeOut(Buffer.alloc(0), () => {
        if (!isWriteClosed && !socket.destroyed) socket.end();
        done();
      });
    },
    destroy(err, done) {
      socket.destroy();
      done(err);
    },
  });
  socket.on("data", (chunk) => {
    if (!conn.push(chunk)) socket.pause();
  });
  socket.on("end", () => conn.push(null));
  socket.on("error", (err) => {
    // A reset after the panel's answer ends the stream; with no answer the request still fails (socket hang up).
    if (err.code === "ECONNRESET" || err.code === "EPIPE") conn.push(null);
    else conn.destroy(err);
  });
  return conn;
}

/**
 * After an answer that closes the connection, Node destroys the socket as soon as the answer is sent;
 * with the client still uploading, that is a reset which can reach the client before it has read the
 * answer. Here the answer is followed by a FIN, what the client still sends is read and dropped, and
 * the socket is destroyed once the client has finished (or after LINGER_MS): the client always reads
 * the answer, as it mostly does from the panel directly.
 */
function closeGently(req, upstream) {
  const socket = req.socket;
  socket.destroySoon = () => {
    socket.end();
    req.unpipe(upstream);
    req.resume();
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    socket.once("close", () => clearTimeout(timer));
    socket.once("end", () => socket.destroy());
  };
}

function forward(req, res) {
  const upstream = http.request({
    host: targetHost,
    port: targetPort,
    method: req.method,
    path: req.url,
    // keep-alive, so that the panel's "Connection: close" means it (after a 413) and is passed on.
    headers: [...endToEndHeaders(req.rawHeaders), "Connection", "keep-alive"],
    setHost: false,
    // One connection per request (never a pooled idle one that the panel may be closing).
    createConnection: connectToPanel,
  });
  let responded = false;
  upstream.on("response", (up) => {
    responded = true;
    const headers = endToEndHeaders(up.rawHeaders);
    // The panel asked to close (after a 413, say): so does this hop, without losing the answer.
    if (/\bclose\b/i.test(String(up.headers.connection ?? ""))) {
      headers.push("Connection", "close");
      closeGently(req, upstream);
    }
    res.writeHead(up.statusCode ?? 502, up.statusMessage, headers);
    res.flushHeaders();
    const tap = req.url.startsWith("/api/") ? startRecording(req, up) : null;
    if (tap) up.on("data", (chunk) => tap.write(chunk));
    up.on("end", () => {
      tap?.finish();
      // The connection served this one request: nothing pools it.
      setImmediate(() => upstream.destroy());
    });
    // After "end" this changes nothing; before it, the stream was cut (client gone, panel stopped).
    up.on("close", () => tap?.abort("cut short"));
    up.on("error", () => res.destroy());
    up.pipe(res);
  });
  upstream.on("error", (err) => {
    // The panel answered and closed while the client was still sending (413): the answer stands.
    if (responded || res.destroyed) return;
    if (res.headersSent) return void res.destroy();
    res.writeHead(502, { "content-type": "text/plain; charset=utf-8", connection: "close" });
    res.end(`e2e recorder: the panel on ${values.target} did not answer (${err.code ?? err.message})\n`);
  });
  // The client went away first (a closed log viewer): the panel must see its request aborted too.
  res.on("close", () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.on("error", () => upstream.destroy());
  req.pipe(upstream);
}

const server = http.createServer(forward);
// Long uploads and streams are the panel's to time out, not this hop's.
server.requestTimeout = 0;
server.headersTimeout = 60_000;
server.keepAliveTimeout = 5_000;
server.on("clientError", (err, socket) => {
  if (!socket.writable) return socket.destroy();
  const status = err.code === "HPE_HEADER_OVERFLOW" ? "431 Request Header Fields Too Large" : "400 Bad Request";
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
});
server.listen(listenPort, listenHost, () => {
  const { port } = server.address();
  console.error(
    `e2e recorder: listening on ${listenHost}:${port} -> ${values.target}, /api/* bodies to ${path.join(values.out, "api-bodies.rec")}`,
  );
});
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    sink.end();
    server.close();
    process.exit(0);
  });
}
