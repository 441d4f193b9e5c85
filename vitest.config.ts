import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Two projects: the engine, compiler and Worker run in the real Workers
// runtime (workerd via Miniflare); the CLI and the Cedar differential tests
// need Node (child processes, Cedar's Node WebAssembly build).
export default defineConfig({
  test: {
    reporters: ["default", "./test/support/summary-reporter.ts"],
    projects: [
      {
        plugins: [
          cloudflareTest(async () => ({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: { bindings: { TEST_MIGRATIONS: await readD1Migrations("migrations") } },
          })),
        ],
        test: {
          name: "workers",
          include: ["test/engine/**/*.test.ts", "test/policy/**/*.test.ts", "test/worker/**/*.test.ts"],
          setupFiles: ["test/worker/setup.ts"],
        },
      },
      {
        test: { name: "node", environment: "node", include: ["test/cli/**/*.test.ts", "test/cedar/**/*.test.ts"], testTimeout: 120_000 },
      },
    ],
  },
});
