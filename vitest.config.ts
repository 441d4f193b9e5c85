import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Two projects: the engine, compiler and Worker run in the real Workers
// runtime (workerd via Miniflare); the CLI and the Cedar differential tests
// need Node (child processes, Cedar's Node WebAssembly build).
export default defineConfig({
  test: {
    projects: [
      {
        plugins: [cloudflareTest({ wrangler: { configPath: "./wrangler.toml" } })],
        test: { name: "workers", include: ["test/engine/**/*.test.ts", "test/policy/**/*.test.ts", "test/worker/**/*.test.ts"] },
      },
      {
        test: { name: "node", environment: "node", include: ["test/cli/**/*.test.ts", "test/cedar/**/*.test.ts"], testTimeout: 120_000 },
      },
    ],
  },
});
