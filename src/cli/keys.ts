import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateKey, ROLES, type Role } from "../auth/key-material";
import { TENANT_ID } from "../policy/schema";

/**
 * `cordon keys …`: API keys live in D1, so these commands go through wrangler's
 * D1 commands (`--local` for the state `npm start` uses, `--remote` for the
 * deployed database). Only the hash of a key is stored; `create` prints the key
 * once.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

export class KeysError extends Error {}

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

function d1(sql: string, where: "local" | "remote", json: boolean): string {
  const args = [join(root, "scripts/with-node.sh"), "npx", "wrangler", "d1", "execute", "cordon", `--${where}`, "--command", sql];
  if (json) args.push("--json");
  const r = spawnSync("sh", args, { cwd: root, encoding: "utf8", env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" } });
  if (r.status !== 0) throw new KeysError(`wrangler d1 execute failed:\n${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}

export async function createKeyCommand(opts: {
  tenant: string;
  role: string;
  name?: string;
  where: "local" | "remote";
}): Promise<{ id: string; token: string }> {
  if (!TENANT_ID.test(opts.tenant)) throw new KeysError(`'${opts.tenant}' is not a tenant id: lower-case letters, digits, '-' and '_'`);
  if (!(ROLES as readonly string[]).includes(opts.role)) throw new KeysError(`--role is one of ${ROLES.join(", ")}`);
  const k = await generateKey();
  const name = (opts.name ?? `${opts.role} key`).slice(0, 100);
  d1(
    `INSERT INTO api_keys (id, tenant, role, secret_hash, name, created_at) VALUES (${[k.id, opts.tenant, opts.role as Role, k.secretHash, name, new Date().toISOString()].map(sqlString).join(", ")})`,
    opts.where,
    false,
  );
  return { id: k.id, token: k.token };
}

export interface KeyRow {
  id: string;
  tenant: string;
  role: string;
  name: string | null;
  created_at: string;
  revoked_at: string | null;
}

export function listKeysCommand(opts: { tenant?: string; where: "local" | "remote" }): KeyRow[] {
  if (opts.tenant !== undefined && !TENANT_ID.test(opts.tenant)) throw new KeysError(`'${opts.tenant}' is not a tenant id`);
  const filter = opts.tenant !== undefined ? ` WHERE tenant = ${sqlString(opts.tenant)}` : "";
  const out = d1(
    `SELECT id, tenant, role, name, created_at, revoked_at FROM api_keys${filter} ORDER BY tenant, created_at`,
    opts.where,
    true,
  );
  const parsed = JSON.parse(out) as { results: KeyRow[] }[];
  return parsed[0]?.results ?? [];
}

export function revokeKeyCommand(opts: { id: string; where: "local" | "remote" }): void {
  if (!/^[a-z0-9]{16}$/.test(opts.id)) throw new KeysError(`'${opts.id}' is not a key id (the 16 characters after cdn_)`);
  const out = d1(
    `UPDATE api_keys SET revoked_at = ${sqlString(new Date().toISOString())} WHERE id = ${sqlString(opts.id)} AND revoked_at IS NULL RETURNING id`,
    opts.where,
    true,
  );
  const rows = (JSON.parse(out) as { results: unknown[] }[])[0]?.results ?? [];
  if (rows.length === 0) throw new KeysError(`no active key ${opts.id}`);
}
