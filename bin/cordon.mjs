#!/usr/bin/env node
// The `cordon` CLI. It runs the same TypeScript compiler and evaluator the
// Worker bundles, loaded through tsx so there is no separate build to go stale.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin });
