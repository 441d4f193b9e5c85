/**
 * The signed-link approval page in real headless Chromium (Debian's
 * /usr/bin/chromium, driven by playwright-core): open the link, confirm, and
 * the agent waiting on the job is released. `.ci/run` installs Chromium; on a
 * machine without it this test says so and is skipped, except under CI.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildWorker, createKey, migrate, type Service, startService } from "../../bench/local-service";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const present = existsSync(CHROMIUM);
if (!present && process.env.CI === "true")
  throw new Error(`Chromium is required under CI and missing at ${CHROMIUM}: apt-get install -y chromium`);
if (!present) console.warn(`skipping the browser test: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);

describe.skipIf(!present)("the approval page in Chromium", () => {
  let svc: Service;
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    buildWorker();
    dir = mkdtempSync(join(tmpdir(), "cordon-browser-"));
    svc = await startService({ persistDir: dir });
    await migrate(svc.mf);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await svc?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("open the link, confirm, and the waiting job is released", async () => {
    const tenant = "browser";
    const agent = await createKey(svc.mf, tenant, "agent");
    const admin = await createKey(svc.mf, tenant, "admin");
    const api = (path: string, key: string, body?: unknown) =>
      fetch(new URL(path, svc.url), {
        method: body === undefined ? "GET" : "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });

    const job = {
      capability: "shell.exec",
      risk_tags: ["unclassified"],
      actor: { id: "agent-7" },
      action: { kind: "shell", command: "./rotate-keys.sh --all" },
    };
    const ev = (await (await api("/v1/evaluate", agent, { job })).json()) as { job_id: string; decision: string; approval: { id: string } };
    expect(ev.decision).toBe("REQUIRE_APPROVAL");
    const links = (await (
      await api(`/v1/approvals/${ev.approval.id}/links`, admin, { approver: "email:security@example.com" })
    ).json()) as {
      approve: string;
    };
    const link = new URL(new URL(links.approve).pathname, svc.url).toString();

    // The agent waits for the outcome.
    const waiting = api(`/v1/jobs/${ev.job_id}?wait=30`, agent).then(
      (r) => r.json() as Promise<{ state: string; outcome: { reason: string } }>,
    );

    const page = await browser.newPage();
    const shown = await page.goto(link);
    expect(shown?.status()).toBe(200);
    expect(await page.textContent("body")).toContain("./rotate-keys.sh --all");
    // Opening the page changed nothing.
    const before = (await (await api(`/v1/approvals/${ev.approval.id}`, admin)).json()) as { status: string; votes: unknown[] };
    expect(before).toMatchObject({ status: "pending", votes: [] });

    await Promise.all([page.waitForNavigation(), page.click("#confirm")]);
    expect(await page.textContent("#result")).toContain("Vote recorded");

    const outcome = await waiting;
    expect(outcome.state).toBe("approved");
    expect(outcome.outcome.reason).toContain("email:security@example.com");

    // The same link again: used.
    const again = await page.goto(link);
    expect(again?.status()).toBe(409);
    await page.close();
  }, 60_000);
});
