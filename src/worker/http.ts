import type { Context } from "hono";
import type { z } from "zod";
import { ApiError, type ErrorDetail } from "../api/errors";
import { MAX_BODY_BYTES } from "../api/schemas";
import type { Principal, Role } from "../auth/keys";

export type AppEnv = { Bindings: Env; Variables: { principal: Principal } };

/** Read a JSON body: content type, size limit, syntax, then the zod schema. */
export async function readJson<T extends z.ZodType>(c: Context<AppEnv>, schema: T): Promise<z.infer<T>> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/json\b/i.test(type))
    throw new ApiError("invalid_request", "the body must be JSON: send 'content-type: application/json'");
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw new ApiError("payload_too_large", `the body is over ${MAX_BODY_BYTES / 1024} KiB`);
  let bytes: Uint8Array;
  if (c.req.header("content-length") !== undefined) {
    // Declared length within the limit (checked above): read it in one go.
    bytes = new Uint8Array(await c.req.raw.arrayBuffer());
    if (bytes.byteLength > MAX_BODY_BYTES) throw new ApiError("payload_too_large", `the body is over ${MAX_BODY_BYTES / 1024} KiB`);
  } else {
    bytes = await readLimited(c.req.raw.body);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes));
  } catch (e) {
    throw new ApiError("invalid_request", `the body is not valid JSON: ${(e as Error).message}`);
  }
  return validate(schema, parsed);
}

/** Read a body of unknown length, stopping as soon as it passes the limit. */
async function readLimited(body: ReadableStream<Uint8Array> | null): Promise<Uint8Array> {
  if (!body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw new ApiError("payload_too_large", `the body is over ${MAX_BODY_BYTES / 1024} KiB`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let off = 0;
  for (const ch of chunks) {
    bytes.set(ch, off);
    off += ch.byteLength;
  }
  return bytes;
}

export function validate<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const details: ErrorDetail[] = r.error.issues.map((i) => {
    const path = i.path.map(String);
    if (i.code === "unrecognized_keys") return { path: [...path, i.keys[0] ?? ""].join("."), message: `unknown field '${i.keys[0]}'` };
    return { path: path.join("."), message: i.message };
  });
  const first = details[0] as ErrorDetail;
  throw new ApiError("invalid_request", first.path ? `${first.path}: ${first.message}` : first.message, details);
}

export function requireRole(c: Context<AppEnv>, ...roles: Role[]): Principal {
  const p = c.get("principal");
  if (!roles.includes(p.role))
    throw new ApiError("forbidden", `this API key's role (${p.role}) cannot do this; it needs ${roles.join(" or ")}`);
  return p;
}
