import { describe, expect, it } from "vitest";
import type { ApprovalView } from "../../src/approvals/types";
import { ConfirmPage, ResultPage, renderPage } from "../../src/links/pages";
import type { VoteClaims } from "../../src/links/token";

const COMMAND = `kubectl delete namespace production <script>alert("x")</script>`;

function approval(over: Partial<ApprovalView> = {}): ApprovalView {
  return {
    id: "apr_01JH8Z6Q0V3K9T2M4N5P6R7S8",
    tenant: "acme",
    job_id: "job_01JH8Z6PZZ4W0B1C2D3E4F5G6",
    status: "pending",
    created_at: "2026-01-01T11:30:00.000Z",
    expires_at: "2026-01-01T12:30:00.000Z",
    resolved_at: null,
    quorum: 2,
    approvers: ["slack:U024BE7LH", "email:oncall@example.com", "user:bob"],
    votes: [{ approver: "user:bob", vote: "approve", note: "looked at the runbook", at: "2026-01-01T11:40:00.000Z", via: "api" }],
    rule_id: "prod-writes-need-approval",
    reason: "Production writes need human sign-off",
    snapshot_hash: `sha256:${"a".repeat(64)}`,
    request_hash: `sha256:${"b".repeat(64)}`,
    actor: { id: "deploy-bot", type: "agent", on_behalf_of: "alice@example.com" },
    job: {
      topic: "job.k8s.exec",
      capability: "k8s.namespace.delete",
      actor: { id: "deploy-bot", type: "agent", on_behalf_of: "alice@example.com" },
      action: { kind: "shell", command: COMMAND },
      input: { dry_run: false },
    },
    derived: { capability: "k8s.namespace.delete", risk_tags: ["destructive", "production", "write"], labels: { env: "prod" } },
    outcome: null,
    ...over,
  };
}

const CLAIMS: VoteClaims = {
  approval_id: "apr_01JH8Z6Q0V3K9T2M4N5P6R7S8",
  tenant: "acme",
  approver: "slack:U024BE7LH",
  vote: "approve",
  expires_at: Date.parse("2026-01-01T12:30:00.000Z"),
  nonce: "AAAAAAAAAAAAAAAAAAAAAA",
};

interface Found {
  attrs: Record<string, string>;
  /** Inner text as it stands in the HTML source (entities not decoded). */
  text: string;
}

/** Every element matching `selector`, read by the runtime's own HTML parser rather than by regexes. */
async function select(html: string, selector: string): Promise<Found[]> {
  const found: Found[] = [];
  await new HTMLRewriter()
    .on(selector, {
      element(el) {
        found.push({ attrs: Object.fromEntries(el.attributes), text: "" });
      },
      // Text inside the matched element, nested elements included; matches never nest here.
      text(chunk) {
        const current = found[found.length - 1];
        if (current) current.text += chunk.text;
      },
    })
    .transform(new Response(html))
    .text();
  return found;
}

async function one(html: string, selector: string): Promise<Found> {
  const all = await select(html, selector);
  expect(all, selector).toHaveLength(1);
  return all[0] as Found;
}

describe("confirmation page", () => {
  it("shows the job, the voter, the vote and a form that posts back to the link", async () => {
    const action = "/approve/eyJhcHByb3ZhbF9pZCI6ImFwciJ9.abc_-DEF";
    const html = renderPage(ConfirmPage({ approval: approval(), claims: CLAIMS, action }));
    expect(html.startsWith("<!doctype html><html")).toBe(true);

    const form = await one(html, "form");
    expect(form.attrs).toMatchObject({ method: "post", action });
    const button = await one(html, "form button#confirm");
    expect(button.attrs.type).toBe("submit");
    expect(button.text.trim()).toBe("Approve");

    const command = await one(html, "pre#action");
    expect(command.text).toBe("kubectl delete namespace production &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");

    for (const text of [
      "Nothing has been done yet",
      "slack:U024BE7LH",
      "deploy-bot",
      "(agent)",
      "alice@example.com",
      "k8s.namespace.delete",
      "job.k8s.exec",
      "prod-writes-need-approval",
      "Production writes need human sign-off",
      "email:oncall@example.com",
      "looked at the runbook",
      "2026-01-01T12:30:00.000Z",
      "env=prod",
      "&quot;dry_run&quot;: false",
    ]) {
      expect(html).toContain(text);
    }
    const tags = await select(html, "ul.tags li");
    expect(tags.map((t) => t.text)).toEqual(["destructive", "production", "write"]);
    expect(html).toMatch(/1 of 2 approvals/);
  });

  it("labels the button Reject for a reject link", async () => {
    const html = renderPage(ConfirmPage({ approval: approval(), claims: { ...CLAIMS, vote: "reject" }, action: "/approve/t" }));
    expect((await one(html, "button#confirm")).text.trim()).toBe("Reject");
    expect(html).not.toContain(">Approve<");
  });

  it("escapes every string an agent controls, so no script or markup gets in", async () => {
    const evil = `"><script>alert(1)</script><img src=x onerror=alert(2)>`;
    const html = renderPage(
      ConfirmPage({
        approval: approval({
          actor: { id: evil, type: evil, on_behalf_of: evil },
          reason: evil,
          rule_id: evil,
          derived: { capability: evil, risk_tags: [evil], labels: { [evil]: evil } },
          approvers: [evil],
          votes: [{ approver: evil, vote: "reject", note: evil, at: evil, via: "link" }],
          job: { topic: evil, action: { kind: evil, command: evil, cwd: evil }, input: { q: evil } },
        }),
        claims: { ...CLAIMS, approver: `slack:${evil}` },
        action: "/approve/t",
      }),
    );
    expect(await select(html, "script")).toHaveLength(0);
    expect(await select(html, "img")).toHaveLength(0);
    expect(await select(html, "[onerror]")).toHaveLength(0);
    expect(html).not.toContain("<script");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("shows a non-shell action as JSON", async () => {
    const html = renderPage(
      ConfirmPage({
        approval: approval({ job: { action: { kind: "sql", statement: "DROP TABLE users" } } }),
        claims: CLAIMS,
        action: "/approve/t",
      }),
    );
    expect((await one(html, "pre#action")).text).toContain("&quot;statement&quot;: &quot;DROP TABLE users&quot;");
    expect(html).toContain(">sql<");
  });

  it("offers no button once the approval is resolved", async () => {
    const html = renderPage(ConfirmPage({ approval: approval({ status: "rejected" }), claims: CLAIMS, action: "/approve/t" }));
    expect(await select(html, "form")).toHaveLength(0);
    expect(await select(html, "button")).toHaveLength(0);
    expect(html).toContain("already <strong>rejected</strong>");
  });
});

describe("result page", () => {
  it("puts the outcome in the main heading", async () => {
    const html = renderPage(
      ResultPage({
        title: "Approval granted; the job is released",
        message: "Quorum reached.",
        approval: approval({ status: "approved" }),
        tone: "success",
      }),
    );
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect((await one(html, "h1#result")).text).toBe("Approval granted; the job is released");
    expect(html).toContain("Quorum reached.");
    expect(html).toContain("prod-writes-need-approval");
    expect(await select(html, "form")).toHaveLength(0);
  });

  it("renders errors without an approval, escaped", async () => {
    const html = renderPage(ResultPage({ title: "This link is not valid <b>", message: "<script>x</script>", tone: "error" }));
    expect((await one(html, "h1#result")).text).toBe("This link is not valid &lt;b&gt;");
    expect(await select(html, "script")).toHaveLength(0);
    expect(await select(html, "h1 b")).toHaveLength(0);
    expect(html).not.toContain("Who asks");
  });
});
