import type { APIRequestContext } from "@playwright/test";

/** Calls a tRPC procedure over HTTP with the page's session (superjson envelope). */
export async function trpcQuery<T>(request: APIRequestContext, path: string, input: unknown): Promise<T> {
  const res = await request.get(`/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`);
  const body = await res.json();
  if (!res.ok()) throw new Error(`${path}: ${res.status()} ${JSON.stringify(body.error?.json?.message ?? body)}`);
  return body.result.data.json as T;
}

export async function trpcMutation<T>(request: APIRequestContext, path: string, input: unknown): Promise<T> {
  const res = await request.post(`/api/trpc/${path}`, { data: { json: input } });
  const body = await res.json();
  if (!res.ok()) throw new Error(`${path}: ${res.status()} ${JSON.stringify(body.error?.json?.message ?? body)}`);
  return body.result.data.json as T;
}
