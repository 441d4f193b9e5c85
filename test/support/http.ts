import { env, exports } from "cloudflare:workers";
import { drizzle } from "drizzle-orm/d1";
import { apiKeys } from "../../src/audit/schema";
import { generateKey, type Role } from "../../src/auth/keys";

/** Create a real API key in D1 and return its token. */
export async function createKey(tenant: string, role: Role): Promise<string> {
  const k = await generateKey();
  await drizzle(env.DB)
    .insert(apiKeys)
    .values({ id: k.id, tenant, role, secretHash: k.secretHash, name: `test ${role}`, createdAt: new Date().toISOString() });
  return k.token;
}

let counter = 0;
/** A tenant id no other test uses. */
export function freshTenant(prefix = "t"): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
}

export function call(
  path: string,
  init: { method?: string; key?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.key) headers.authorization = `Bearer ${init.key}`;
  let body: string | undefined;
  if (init.body !== undefined) {
    body = typeof init.body === "string" ? init.body : JSON.stringify(init.body);
    headers["content-type"] ??= "application/json";
  }
  return exports.default.fetch(`http://cordon.test${path}`, {
    method: init.method ?? (body !== undefined ? "POST" : "GET"),
    headers,
    body,
  });
}

export async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T;
}
