/**
 * Serve the bundled Worker on a fixed port with persisted state (for the
 * restart test): `node --import tsx bench/serve.ts DIR PORT`. Creates the
 * tenant's keys on first start (DIR/keys.json) and prints READY when serving.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createKey, migrate, startService } from "./local-service";

const [dir, port] = process.argv.slice(2);
if (!dir || !port) throw new Error("usage: serve.ts DIR PORT");
const svc = await startService({ persistDir: dir, port: Number(port) });
await migrate(svc.mf);
const keysFile = join(dir, "keys.json");
if (!existsSync(keysFile)) {
  const keys = { agent: await createKey(svc.mf, "restart", "agent"), admin: await createKey(svc.mf, "restart", "admin") };
  writeFileSync(keysFile, JSON.stringify(keys));
}
JSON.parse(readFileSync(keysFile, "utf8"));
console.log(`READY ${svc.url}`);
