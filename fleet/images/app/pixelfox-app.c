/*
 * Stand-in PixelFox app for the sandbox fleet. Static binary, std sockets + pthreads.
 * Listens on APP_HOST:APP_PORT (default localhost:4000), HTTP/1.1 keep-alive.
 * Version from /app/VERSION; a version containing "-broken" accepts connections and
 * reads requests but never answers (health probes time out), without crashing.
 * SIGTERM: stop accepting, finish in-flight requests, exit 0 (max ~5 s).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define BUF_SIZE 16384
#define IDLE_TIMEOUT_MS 60000

static char g_version[64] = "dev";
static char g_node_id[64] = "app";
static char g_env[32] = "dev";
static int g_broken = 0;
static volatile sig_atomic_t g_stop = 0;
static atomic_int g_active = 0;       /* open connections */
static atomic_int g_inflight = 0;     /* requests being processed */
static pthread_mutex_t g_log_mu = PTHREAD_MUTEX_INITIALIZER;

static void ts(char *out, size_t n) {
  struct timeval tv; gettimeofday(&tv, NULL);
  struct tm tm; gmtime_r(&tv.tv_sec, &tm);
  size_t l = strftime(out, n, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(out + l, n - l, ".%03ldZ", (long)(tv.tv_usec / 1000));
}

static void info(const char *fmt, ...) {
  char t[40]; ts(t, sizeof t);
  va_list ap; va_start(ap, fmt);
  pthread_mutex_lock(&g_log_mu);
  fprintf(stderr, "%s level=info version=%s ", t, g_version);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  fflush(stderr);
  pthread_mutex_unlock(&g_log_mu);
  va_end(ap);
}

static const char *env_or(const char *k, const char *d) {
  const char *v = getenv(k);
  return (v && *v) ? v : d;
}

static int resolve(const char *host, struct in_addr *out) {
  if (!host || !*host || strcmp(host, "localhost") == 0) host = "127.0.0.1";
  return inet_pton(AF_INET, host, out) == 1 ? 0 : -1;
}

static void on_term(int sig) { (void)sig; g_stop = 1; }

static int send_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
    if (w < 0) { if (errno == EINTR) continue; return -1; }
    p += w; n -= (size_t)w;
  }
  return 0;
}

/* TCP connect with timeout; 1 = reachable */
static int tcp_reachable(const char *host, int port, int timeout_ms) {
  struct sockaddr_in sa; memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET; sa.sin_port = htons((uint16_t)port);
  if (resolve(host, &sa.sin_addr) != 0) return 0;
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  int ok = 0;
  int r = connect(fd, (struct sockaddr *)&sa, sizeof sa);
  if (r == 0) ok = 1;
  else if (errno == EINPROGRESS) {
    struct pollfd p = { .fd = fd, .events = POLLOUT };
    if (poll(&p, 1, timeout_ms) == 1) {
      int err = 0; socklen_t l = sizeof err;
      if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &l) == 0 && err == 0) ok = 1;
    }
  }
  close(fd);
  return ok;
}

struct conn { int fd; char peer[64]; };

static void access_log(const char *peer, const char *method, const char *path, int status,
                       size_t bytes, double ms) {
  char t[40]; ts(t, sizeof t);
  pthread_mutex_lock(&g_log_mu);
  fprintf(stdout, "%s %s \"%s %s HTTP/1.1\" %d %zu %.1fms version=%s\n", t, peer, method, path,
          status, bytes, ms, g_version);
  fflush(stdout);
  pthread_mutex_unlock(&g_log_mu);
}

static int respond(int fd, int status, const char *reason, const char *ctype, const char *body,
                   int head_only, int keep_alive, size_t *sent) {
  char hdr[1024];
  size_t blen = body ? strlen(body) : 0;
  int n = snprintf(hdr, sizeof hdr,
                   "HTTP/1.1 %d %s\r\nServer: pixelfox-standin\r\nX-App-Version: %s\r\n"
                   "Content-Length: %zu\r\n%s%s%sConnection: %s\r\n\r\n",
                   status, reason, g_version, (status == 204 || status == 304) ? 0 : blen,
                   ctype ? "Content-Type: " : "", ctype ? ctype : "", ctype ? "\r\n" : "",
                   keep_alive ? "keep-alive" : "close");
  if (send_all(fd, hdr, (size_t)n) < 0) return -1;
  *sent = 0;
  if (!head_only && status != 204 && blen) {
    if (send_all(fd, body, blen) < 0) return -1;
    *sent = blen;
  }
  return 0;
}

static void route(int fd, const char *method, const char *path, int keep_alive, const char *peer,
                  struct timespec *t0) {
  char body[2048];
  int head = strcasecmp(method, "HEAD") == 0;
  int get = strcasecmp(method, "GET") == 0 || head;
  int status = 200; const char *reason = "OK"; const char *ctype = "application/json";
  char clean[512]; snprintf(clean, sizeof clean, "%s", path);
  char *q = strchr(clean, '?'); if (q) *q = 0;

  if (get && strcmp(clean, "/api/v1/ping") == 0) {
    snprintf(body, sizeof body, "{\"ping\":\"pong\"}");
  } else if (head && strcmp(clean, "/api/internal/upload") == 0) {
    status = 204; reason = "No Content"; ctype = NULL; body[0] = 0;
  } else if (get && strcmp(clean, "/api/v1/status") == 0) {
    const char *dbh = env_or("DB_HOST", "127.0.0.1"); int dbp = atoi(env_or("DB_PORT", "3306"));
    const char *ch = env_or("CACHE_HOST", "127.0.0.1"); int cp = atoi(env_or("CACHE_PORT", "6379"));
    int dbok = tcp_reachable(dbh, dbp, 1000), cok = tcp_reachable(ch, cp, 1000);
    snprintf(body, sizeof body,
             "{\"version\":\"%s\",\"nodeId\":\"%s\",\"env\":\"%s\",\"db\":{\"host\":\"%s\",\"port\":%d,"
             "\"name\":\"%s\",\"reachable\":%s},\"cache\":{\"host\":\"%s\",\"port\":%d,\"reachable\":%s}}",
             g_version, g_node_id, g_env, dbh, dbp, env_or("DB_NAME", ""), dbok ? "true" : "false", ch,
             cp, cok ? "true" : "false");
  } else if (get && strcmp(clean, "/") == 0) {
    ctype = "text/html; charset=utf-8";
    snprintf(body, sizeof body,
             "<!doctype html><html><head><title>PixelFox</title></head><body>"
             "<h1>PixelFox</h1><p>Image sharing (sandbox stand-in).</p>"
             "<p id=\"version\">Version %s</p><p>Domain: %s</p></body></html>\n",
             g_version, env_or("PUBLIC_DOMAIN", "http://localhost"));
  } else {
    status = 404; reason = "Not Found";
    snprintf(body, sizeof body, "{\"error\":\"not found\"}");
  }
  size_t sent = 0;
  respond(fd, status, reason, ctype, body, head, keep_alive, &sent);
  struct timespec t1; clock_gettime(CLOCK_MONOTONIC, &t1);
  double ms = (t1.tv_sec - t0->tv_sec) * 1e3 + (t1.tv_nsec - t0->tv_nsec) / 1e6;
  access_log(peer, method, path, status, sent, ms);
}

/* Find a header value (case-insensitive name) within the header block. */
static int header_has(const char *hdrs, const char *name, const char *token) {
  size_t nl = strlen(name);
  for (const char *p = hdrs; p && *p;) {
    if (strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
      const char *e = strstr(p, "\r\n");
      size_t len = e ? (size_t)(e - p) : strlen(p);
      char v[256]; snprintf(v, sizeof v, "%.*s", (int)len, p);
      return strcasestr(v + nl + 1, token) != NULL;
    }
    p = strstr(p, "\r\n"); if (p) p += 2;
  }
  return 0;
}

static long content_length(const char *hdrs) {
  for (const char *p = hdrs; p && *p;) {
    if (strncasecmp(p, "Content-Length:", 15) == 0) return atol(p + 15);
    p = strstr(p, "\r\n"); if (p) p += 2;
  }
  return 0;
}

static void *serve(void *arg) {
  struct conn *c = arg;
  int fd = c->fd;
  char *buf = malloc(BUF_SIZE + 1);
  size_t have = 0;
  int idle_ms = 0;
  for (;;) {
    /* wait for data in small steps so a drain can close idle connections */
    char *end = have ? memmem(buf, have, "\r\n\r\n", 4) : NULL;
    if (!end) {
      if (g_stop && have == 0) break;
      struct pollfd p = { .fd = fd, .events = POLLIN };
      int r = poll(&p, 1, 200);
      if (r < 0 && errno == EINTR) continue;
      if (r == 0) { idle_ms += 200; if (idle_ms >= IDLE_TIMEOUT_MS || (g_stop && have == 0)) break; continue; }
      if (r < 0) break;
      if (have >= BUF_SIZE) break; /* header too large */
      ssize_t n = recv(fd, buf + have, BUF_SIZE - have, 0);
      if (n <= 0) break;
      have += (size_t)n; idle_ms = 0;
      continue;
    }
    atomic_fetch_add(&g_inflight, 1);
    struct timespec t0; clock_gettime(CLOCK_MONOTONIC, &t0);
    *end = 0;
    char method[16] = "", path[1024] = "", proto[16] = "";
    sscanf(buf, "%15s %1023s %15s", method, path, proto);
    const char *hdrs = strstr(buf, "\r\n"); hdrs = hdrs ? hdrs + 2 : "";
    int keep = strcmp(proto, "HTTP/1.0") != 0;
    if (header_has(hdrs, "Connection", "close")) keep = 0;
    if (header_has(hdrs, "Connection", "keep-alive")) keep = keep || strcmp(proto, "HTTP/1.0") == 0;
    long clen = content_length(hdrs);
    size_t consumed = (size_t)(end + 4 - buf);
    /* discard request body */
    size_t in_buf = have - consumed;
    size_t body_in_buf = clen > 0 ? ((size_t)clen < in_buf ? (size_t)clen : in_buf) : 0;
    long body_left = clen - (long)body_in_buf;
    consumed += body_in_buf;
    while (body_left > 0) {
      char tmp[4096];
      ssize_t n = recv(fd, tmp, body_left > 4096 ? 4096 : (size_t)body_left, 0);
      if (n <= 0) { keep = 0; break; }
      body_left -= n;
    }
    if (g_broken) {
      /* hang: never answer; keep the connection open until the peer gives up or we stop */
      info("msg=\"request received, not answering (broken build)\" method=%s path=%s", method, path);
      atomic_fetch_sub(&g_inflight, 1);
      char tmp[4096];
      for (;;) {
        struct pollfd p = { .fd = fd, .events = POLLIN };
        int r = poll(&p, 1, 200);
        if (g_stop) break;
        if (r > 0 && recv(fd, tmp, sizeof tmp, 0) <= 0) break;
      }
      break;
    }
    if (g_stop) keep = 0; /* draining: answer, then close */
    route(fd, method, path, keep, c->peer, &t0);
    atomic_fetch_sub(&g_inflight, 1);
    memmove(buf, buf + consumed, have - consumed);
    have -= consumed;
    if (!keep) break;
  }
  shutdown(fd, SHUT_WR);
  close(fd);
  free(buf);
  free(c);
  atomic_fetch_sub(&g_active, 1);
  return NULL;
}

int main(int argc, char **argv) {
  (void)argc; (void)argv;
  setvbuf(stdout, NULL, _IOLBF, 0);
  FILE *vf = fopen("/app/VERSION", "r");
  if (vf) {
    if (fgets(g_version, sizeof g_version, vf)) g_version[strcspn(g_version, "\r\n")] = 0;
    fclose(vf);
  }
  const char *ov = getenv("APP_VERSION_OVERRIDE");
  if (ov && *ov) snprintf(g_version, sizeof g_version, "%s", ov);
  g_broken = strstr(g_version, "-broken") != NULL;
  snprintf(g_node_id, sizeof g_node_id, "%s", env_or("NODE_ID", "app"));
  snprintf(g_env, sizeof g_env, "%s", env_or("APP_ENV", "dev"));

  struct sigaction sa; memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_term; sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, NULL); sigaction(SIGINT, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);

  const char *host = env_or("APP_HOST", "localhost");
  int port = atoi(env_or("APP_PORT", "4000"));
  struct sockaddr_in addr; memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET; addr.sin_port = htons((uint16_t)port);
  if (resolve(host, &addr.sin_addr) != 0) { info("msg=\"cannot resolve APP_HOST\" host=%s", host); return 2; }
  int ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1; setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(ls, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(ls, 256) < 0) {
    info("msg=\"listen failed\" addr=%s:%d error=\"%s\"", host, port, strerror(errno));
    return 1;
  }
  info("msg=\"PixelFox stand-in starting\" env=%s node=%s", g_env, g_node_id);
  info("msg=\"config\" db=%s:%s/%s cache=%s:%s domain=%s", env_or("DB_HOST", "127.0.0.1"),
       env_or("DB_PORT", "3306"), env_or("DB_NAME", ""), env_or("CACHE_HOST", "127.0.0.1"),
       env_or("CACHE_PORT", "6379"), env_or("PUBLIC_DOMAIN", ""));
  if (g_broken) info("msg=\"WARNING: broken build, requests will hang\"");
  info("msg=\"listening\" addr=%s:%d", host, port);

  while (!g_stop) {
    struct pollfd p = { .fd = ls, .events = POLLIN };
    int r = poll(&p, 1, 250);
    if (r <= 0) continue;
    struct sockaddr_in peer; socklen_t pl = sizeof peer;
    int fd = accept4(ls, (struct sockaddr *)&peer, &pl, SOCK_CLOEXEC);
    if (fd < 0) continue;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct conn *c = malloc(sizeof *c);
    c->fd = fd;
    snprintf(c->peer, sizeof c->peer, "%s:%d", inet_ntoa(peer.sin_addr), ntohs(peer.sin_port));
    atomic_fetch_add(&g_active, 1);
    pthread_t th; pthread_attr_t at; pthread_attr_init(&at);
    pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&at, 256 * 1024);
    if (pthread_create(&th, &at, serve, c) != 0) { close(fd); free(c); atomic_fetch_sub(&g_active, 1); }
    pthread_attr_destroy(&at);
  }
  close(ls);
  info("msg=\"SIGTERM received, draining\" open_connections=%d inflight=%d", atomic_load(&g_active),
       atomic_load(&g_inflight));
  for (int i = 0; i < 50 && atomic_load(&g_active) > 0; i++) usleep(100 * 1000);
  info("msg=\"stopped\" open_connections=%d", atomic_load(&g_active));
  return 0;
}
