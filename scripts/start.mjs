#!/usr/bin/env node
// `npm start`: the newcomer's one command. Applies the local D1 migrations,
// makes sure tenant "acme" has one API key per role (created once, kept in
// .wrangler/demo-keys.json and printed every time), then serves Cordon with the
// demo policy on 127.0.0.1:8787 under `wrangler dev`, state persisted in
// .wrangler/state. wrangler's [build] step compiles and tests the policies.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const keysFile = join(root, ".wrangler", "demo-keys.json");
const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CI: process.env.CI ?? "true" };
const port = process.env.PORT ?? "8787";

function run(args, what) {
  const r = spawnSync(args[0], args.slice(1), { cwd: root, env, encoding: "utf8" });
  if (r.status !== 0) {
    process.stderr.write(`${what} failed:\n${r.stdout}\n${r.stderr}\n`);
    process.exit(r.status ?? 1);
  }
  return r.stdout;
}

// Local secrets: random signing secrets the first time (.dev.vars is git-ignored;
// .dev.vars.example lists them). No Slack workspace locally unless you add one.
const devVars = join(root, ".dev.vars");
if (!existsSync(devVars)) {
  const rand = () => randomBytes(32).toString("base64url");
  writeFileSync(
    devVars,
    [`LINK_SIGNING_SECRET=${rand()}`, `CALLBACK_SIGNING_SECRET=${rand()}`, `SLACK_SIGNING_SECRET=${rand()}`, "SLACK_TARGETS={}", ""].join(
      "\n",
    ),
  );
  console.log("wrote .dev.vars with fresh local signing secrets");
}

run([process.execPath, "bin/cordon.mjs", "policy", "build"], "compiling the policies");
run(
  [process.execPath, "node_modules/wrangler/bin/wrangler.js", "d1", "migrations", "apply", "cordon", "--local"],
  "applying D1 migrations",
);

let keys = existsSync(keysFile) ? JSON.parse(readFileSync(keysFile, "utf8")) : null;
if (keys) {
  // The state may have been wiped since: check the keys are still there.
  const listed = run([process.execPath, "bin/cordon.mjs", "keys", "list", "--tenant", "acme"], "listing keys");
  if (!Object.values(keys).every((k) => listed.includes(k.split("_")[1]))) keys = null;
}
if (!keys) {
  keys = {};
  for (const role of ["agent", "approver", "admin"]) {
    keys[role] = run(
      [process.execPath, "bin/cordon.mjs", "keys", "create", "--tenant", "acme", "--role", role, "--name", `demo ${role}`],
      `creating the ${role} key`,
    ).trim();
  }
  mkdirSync(dirname(keysFile), { recursive: true });
  writeFileSync(keysFile, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
}

process.stdout.write(`
Cordon demo keys for tenant acme (also in .wrangler/demo-keys.json):
  agent:    ${keys.agent}
  approver: ${keys.approver}
  admin:    ${keys.admin}

  export CORDON_AGENT_KEY=${keys.agent}
  export CORDON_APPROVER_KEY=${keys.approver}
  export CORDON_ADMIN_KEY=${keys.admin}

Starting Cordon on http://127.0.0.1:${port} (Ctrl-C stops it) ...
`);

const dev = spawn(
  process.execPath,
  ["node_modules/wrangler/bin/wrangler.js", "dev", "--ip", "127.0.0.1", "--port", port, "--show-interactive-dev-session=false"],
  {
    cwd: root,
    env,
    stdio: "inherit",
  },
);
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => dev.kill(sig));
dev.on("exit", (code) => process.exit(code ?? 0));
