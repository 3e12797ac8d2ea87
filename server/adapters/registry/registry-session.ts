import { guardedFetch } from "@/server/adapters/http/guarded-fetch";
import type { OutboundDeps, OutboundPurpose } from "@/server/adapters/http/outbound-guard";
import { OUTBOUND } from "@/server/adapters/http/outbound-purposes";
import { AppError, isAppError } from "@/server/errors";
import { credentialsRefused, mapFetchError, mapRegistryStatus, readRegistryMessage, type RegistryErrorContext } from "./registry-errors";
import { isLoopbackHost, resolveRegistryEndpoint, type RegistryEndpoint } from "./reference";
import { parseWwwAuthenticate } from "./parse-headers";
import { defaultTokenCache, tokenCacheKey, type BearerChallenge, type TokenCache } from "./token-cache";
import type { RegistryCredentials, RegistryRequestOptions } from "./types";

const DEFAULT_TIMEOUT_MS = 15_000;
const MAX_REDIRECTS = 5;
const USER_AGENT = "pixelfox-ops";

export interface RegistryRequest {
  method?: "GET" | "HEAD";
  accept?: string;
  /** For messages: "list the tags of pixelfox/app". */
  action: string;
}

/** Seams for tests. */
export interface RegistrySessionDeps {
  tokenCache?: TokenCache;
  outbound?: OutboundDeps;
}

/**
 * Authenticated access to one repository of one registry: Basic credentials, or the Bearer token
 * dance of GHCR / GitLab / Docker Hub (401 challenge → token endpoint → retry), with tokens cached.
 */
export interface RegistrySession {
  readonly endpoint: RegistryEndpoint;
  readonly errorContext: RegistryErrorContext;
  /** Send a request; `path` is relative to `/v2/<name>/`, or an absolute URL on the registry's origin. */
  request(path: string, req: RegistryRequest): Promise<Response>;
  /** Read a body, mapping a timeout mid-body like one before the headers. */
  readText(res: Response, action: string): Promise<string>;
  readBytes(res: Response, action: string): Promise<Buffer>;
  /** Consume a non-2xx response and turn it into an AppError. */
  fail(res: Response, action: string, subject: string): Promise<AppError>;
}

/** Open a session for `options.repository` (no request is sent until the first `request`). */
export function openRegistrySession(options: RegistryRequestOptions, deps: RegistrySessionDeps = {}): RegistrySession {
  const endpoint = resolveRegistryEndpoint(options.repository, options.registryUrl);
  const credentials = options.credentials?.username ? options.credentials : undefined;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const cache = deps.tokenCache ?? defaultTokenCache;
  const errorContext: RegistryErrorContext = { ...endpoint, credentials };
  const repoKey = `${endpoint.baseUrl}/${endpoint.name}`;
  const apiBase = `${endpoint.baseUrl}/v2/${endpoint.name}/`;
  const registryOrigin = new URL(endpoint.baseUrl).origin;
  const pendingTokens = new Map<string, Promise<string>>();
  // Security: every request (redirects and token realms included) goes through the outbound guard.
  const purpose: OutboundPurpose = options.registryUrl?.trim() ? OUTBOUND.registryUrl : OUTBOUND.imageRepository;
  const guard = { purpose, deps: deps.outbound ?? {} };

  const send = (url: string, init: { method: string; accept?: string; authorization?: string; authOrigin: string; action: string }) =>
    sendFollowingRedirects(url, init, { timeoutMs, signal: options.signal, baseUrl: endpoint.baseUrl, guard });

  const getToken = (challenge: BearerChallenge, fresh: boolean): Promise<string> => {
    const key = tokenCacheKey(challenge, credentials?.username);
    if (fresh) cache.deleteToken(key);
    const cached = cache.getToken(key);
    if (cached) return Promise.resolve(cached);
    let pending = pendingTokens.get(key);
    if (!pending) {
      pending = fetchToken(challenge, credentials, errorContext, send).then(({ token, expiresIn }) => {
        cache.setToken(key, token, expiresIn);
        return token;
      });
      pending.finally(() => pendingTokens.delete(key)).catch(() => undefined);
      pendingTokens.set(key, pending);
    }
    return pending;
  };

  const initialAuthorization = async (): Promise<string | undefined> => {
    const challenge = cache.getChallenge(repoKey);
    if (challenge) return `Bearer ${await getToken(challenge, false)}`;
    return credentials ? basicAuthorization(credentials) : undefined;
  };

  const readText = async (res: Response, action: string) => {
    try {
      return await res.text();
    } catch (err) {
      rethrowAbort(err, options.signal);
      throw mapFetchError(err, endpoint.baseUrl, action, timeoutMs);
    }
  };

  return {
    endpoint,
    errorContext,
    readText,
    async readBytes(res, action) {
      try {
        return Buffer.from(await res.arrayBuffer());
      } catch (err) {
        rethrowAbort(err, options.signal);
        throw mapFetchError(err, endpoint.baseUrl, action, timeoutMs);
      }
    },
    async fail(res, action, subject) {
      const body = res.status === 401 ? "" : await readText(res, action).catch(() => "");
      return mapRegistryStatus(errorContext, res.status, body, action, subject);
    },
    async request(path, req) {
      const url = new URL(path, apiBase);
      // Security: credentials only ever go to the registry's own origin (pagination links and
      // redirects to other origins are followed without them).
      if (url.origin !== registryOrigin) {
        throw new AppError(
          "REMOTE_FAILED",
          `registry ${endpoint.registryHost} pointed the panel at another site (${url.origin}) while trying to ${req.action}; refusing to follow.`,
          { action: req.action },
        );
      }
      const method = req.method ?? "GET";
      const init = { method, accept: req.accept, authOrigin: registryOrigin, action: req.action };
      const firstAuth = await initialAuthorization();
      const res = await send(url.href, { ...init, authorization: firstAuth });
      if (res.status !== 401) return res;

      const challenge = parseWwwAuthenticate(res.headers.get("www-authenticate"));
      const body = await readText(res, req.action).catch(() => "");
      if (challenge?.scheme === "bearer" && challenge.params.realm) {
        const bearer: BearerChallenge = {
          realm: challenge.params.realm,
          service: challenge.params.service,
          scope: challenge.params.scope ?? `repository:${endpoint.name}:pull`,
        };
        cache.setChallenge(repoKey, bearer);
        const token = await getToken(bearer, firstAuth?.startsWith("Bearer ") ?? false);
        const retried = await send(url.href, { ...init, authorization: `Bearer ${token}` });
        if (retried.status !== 401) return retried;
        throw credentialsRefused(errorContext, 401, readRegistryMessage(await readText(retried, req.action).catch(() => "")));
      }
      if (challenge?.scheme === "basic" && credentials && !firstAuth?.startsWith("Basic ")) {
        const retried = await send(url.href, { ...init, authorization: basicAuthorization(credentials) });
        if (retried.status !== 401) return retried;
      }
      throw credentialsRefused(errorContext, 401, readRegistryMessage(body));
    },
  };
}

function basicAuthorization(credentials: RegistryCredentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64")}`;
}

/** Ask a Bearer realm for a token (with Basic credentials when we have some, anonymously otherwise). */
async function fetchToken(
  challenge: BearerChallenge,
  credentials: RegistryCredentials | undefined,
  ctx: RegistryErrorContext,
  send: (url: string, init: { method: string; authorization?: string; authOrigin: string; action: string }) => Promise<Response>,
): Promise<{ token: string; expiresIn?: number }> {
  const action = `get a registry token for ${ctx.name}`;
  let realm: URL;
  try {
    realm = new URL(challenge.realm);
  } catch {
    throw new AppError("REMOTE_FAILED", `registry ${ctx.registryHost} sent an invalid token realm "${challenge.realm}".`, { action });
  }
  if (realm.protocol !== "https:" && realm.protocol !== "http:") {
    throw new AppError("REMOTE_FAILED", `registry ${ctx.registryHost} sent a token realm that is not http(s): ${realm.protocol}`, {
      action,
    });
  }
  // Security: never send the password in clear over the network; plain http is only accepted
  // for the loopback or for the registry's own origin when the admin configured it as http.
  const registryOrigin = new URL(ctx.baseUrl).origin;
  if (credentials && realm.protocol === "http:" && !isLoopbackHost(realm.host) && realm.origin !== registryOrigin) {
    throw new AppError(
      "REMOTE_FAILED",
      `registry ${ctx.registryHost} asked for the credentials over plain http at ${realm.origin}; refusing to send them.`,
      { action },
    );
  }
  if (challenge.service) realm.searchParams.set("service", challenge.service);
  realm.searchParams.set("scope", challenge.scope);
  const res = await send(realm.href, {
    method: "GET",
    authorization: credentials ? basicAuthorization(credentials) : undefined,
    authOrigin: realm.origin,
    action,
  });
  const text = await res.text().catch(() => "");
  if (res.status === 401 || res.status === 403) throw credentialsRefused(ctx, res.status, readRegistryMessage(text));
  if (!res.ok) throw mapRegistryStatus(ctx, res.status, text, action, `the token endpoint ${realm.origin}${realm.pathname}`);
  let body: { token?: unknown; access_token?: unknown; expires_in?: unknown };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new AppError("REMOTE_FAILED", `registry ${ctx.registryHost}'s token endpoint did not answer JSON.`, { action });
  }
  const token = typeof body.token === "string" && body.token ? body.token : typeof body.access_token === "string" ? body.access_token : "";
  if (!token) throw new AppError("REMOTE_FAILED", `registry ${ctx.registryHost}'s token endpoint answered without a token.`, { action });
  return { token, expiresIn: typeof body.expires_in === "number" ? body.expires_in : undefined };
}

/**
 * A guarded fetch (never the panel itself, never link-local / metadata) with a per-request timeout,
 * following redirects by hand so Authorization never leaves `authOrigin` and every hop is checked.
 */
async function sendFollowingRedirects(
  startUrl: string,
  init: { method: string; accept?: string; authorization?: string; authOrigin: string; action: string },
  opts: { timeoutMs: number; signal?: AbortSignal; baseUrl: string; guard: { purpose: OutboundPurpose; deps: OutboundDeps } },
): Promise<Response> {
  let url = startUrl;
  for (let hop = 0; ; hop++) {
    const headers: Record<string, string> = { "User-Agent": USER_AGENT };
    if (init.accept) headers.Accept = init.accept;
    // Security: blobs are often redirected to a CDN or S3; the registry's credentials stay home.
    if (init.authorization && new URL(url).origin === init.authOrigin) headers.Authorization = init.authorization;
    const signals = [AbortSignal.timeout(opts.timeoutMs), ...(opts.signal ? [opts.signal] : [])];
    let res: Response;
    try {
      res = await guardedFetch(
        url,
        { method: init.method, headers, signal: AbortSignal.any(signals) },
        opts.guard.purpose,
        opts.guard.deps,
      );
    } catch (err) {
      rethrowAbort(err, opts.signal);
      if (isAppError(err)) throw err;
      throw mapFetchError(
        err,
        new URL(url).origin === new URL(opts.baseUrl).origin ? opts.baseUrl : new URL(url).origin,
        init.action,
        opts.timeoutMs,
      );
    }
    const location = res.headers.get("location");
    if (res.status < 300 || res.status > 399 || !location) return res;
    await res.body?.cancel().catch(() => undefined);
    if (hop >= MAX_REDIRECTS) {
      throw new AppError("REMOTE_FAILED", `The registry redirected more than ${MAX_REDIRECTS} times while trying to ${init.action}.`, {
        action: init.action,
      });
    }
    url = new URL(location, url).href;
  }
}

/** A cancellation by the caller is not a registry failure: pass the caller's own reason through. */
function rethrowAbort(err: unknown, signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? err;
}
