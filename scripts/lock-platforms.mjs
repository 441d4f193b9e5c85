#!/usr/bin/env node
// Complete package-lock.json with the other platforms' optional binaries
// (workerd, Biome, ...). The registry this project is installed from only
// serves this machine's platform builds, so npm leaves the rest out of the
// lock, and then `npm ci` refuses the lock ("Missing: ... from lock file").
// The entries added here carry os/cpu, so npm skips them on other platforms
// and never fetches them. Run after any `npm install` that changes the lock.
import { readFileSync, writeFileSync } from "node:fs";

const file = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(file, "utf8"));
const pkgs = lock.packages;

const OS = {
  darwin: "darwin",
  linux: "linux",
  win32: "win32",
  windows: "win32",
  android: "android",
  freebsd: "freebsd",
  openbsd: "openbsd",
  sunos: "sunos",
  aix: "aix",
  netbsd: "netbsd",
};
const CPU = {
  arm64: "arm64",
  x64: "x64",
  64: "x64",
  ia32: "ia32",
  arm: "arm",
  loong64: "loong64",
  mips64el: "mips64el",
  ppc64: "ppc64",
  riscv64: "riscv64",
  s390x: "s390x",
};

function platformOf(name) {
  const parts = name.split("/").pop().split("-");
  const os = parts.map((p) => OS[p]).find(Boolean);
  const cpu = parts.map((p) => CPU[p]).find(Boolean);
  const libc = parts.includes("musl") ? "musl" : undefined;
  return { os, cpu, libc };
}

/** Where npm would look for `dep` from the package at `path`: nested first, then hoisted. */
function resolves(path, dep) {
  let base = path;
  for (;;) {
    if (pkgs[`${base ? `${base}/` : ""}node_modules/${dep}`]) return true;
    const i = base.lastIndexOf("/node_modules/");
    if (i < 0) return base !== "" ? Boolean(pkgs[`node_modules/${dep}`]) : false;
    base = base.slice(0, i);
  }
}

let added = 0;
for (const [path, meta] of Object.entries(pkgs)) {
  for (const [dep, version] of Object.entries(meta.optionalDependencies ?? {})) {
    if (resolves(path, dep)) continue;
    const { os, cpu, libc } = platformOf(dep);
    if (!os) continue; // not a platform binary: leave it to npm
    const key = `${path ? `${path}/` : ""}node_modules/${dep}`;
    pkgs[key] = {
      version,
      ...(cpu ? { cpu: [cpu] } : {}),
      ...(meta.dev ? { dev: true } : {}),
      ...(libc ? { libc: [libc] } : {}),
      license: meta.license ?? "UNLICENSED",
      optional: true,
      os: [os],
    };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(pkgs).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : a > b ? 1 : 0)));
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: added ${added} platform entr${added === 1 ? "y" : "ies"}`);
