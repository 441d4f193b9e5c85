import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { startStandIn } from "./test/support/stand-in";

// Slack and job callbacks are third parties: a local server stands in for them.
const standIn = await startStandIn();
/** Secrets and settings the Worker reads, fixed for the tests. */
const testBindings = {
  PUBLIC_URL: "http://cordon.test",
  SLACK_API_BASE: `${standIn.url}/api`,
  STAND_IN_URL: standIn.url,
  LINK_SIGNING_SECRET: "test-link-secret-0123456789abcdef0123456789",
  CALLBACK_SIGNING_SECRET: "test-callback-secret-0123456789abcdef",
  SLACK_SIGNING_SECRET: "8f742231b10e8888abcd99yyyzzz85a5",
  SLACK_TARGETS: JSON.stringify({
    "slack-webhook": { webhook_url: `${standIn.url}/ok/webhook` },
    "slack-bot": { bot_token: "xoxb-test", channel: "C0CORDON" },
  }),
};

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
            miniflare: { bindings: { TEST_MIGRATIONS: await readD1Migrations("migrations"), ...testBindings } },
          })),
        ],
        test: {
          name: "workers",
          include: [
            "test/engine/**/*.test.ts",
            "test/policy/**/*.test.ts",
            "test/worker/**/*.test.ts",
            "test/approvals/**/*.test.ts",
            "test/slack/**/*.test.ts",
            "test/links/**/*.test.ts",
            "test/packs/**/*.test.ts",
          ],
          setupFiles: ["test/worker/setup.ts"],
        },
      },
      {
        test: {
          name: "node",
          environment: "node",
          include: ["test/cli/**/*.test.ts", "test/cedar/**/*.test.ts", "test/browser/**/*.test.ts"],
          testTimeout: 120_000,
        },
      },
    ],
  },
});
