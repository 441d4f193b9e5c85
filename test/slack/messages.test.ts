import { describe, expect, it } from "vitest";
import type { ApprovalView } from "../../src/approvals/types";
import { approvalMessage, outcomeMessage, parseInteraction } from "../../src/slack/messages";
import { verifySlackSignature } from "../../src/slack/signature";

// Loose shapes for reading the blocks back; the module returns `unknown[]` on purpose.
type Text = { type: string; text: string };
type Button = { type: string; action_id: string; style?: string; value: string; text: Text; confirm?: Record<string, unknown> };
type Block = { type: string; block_id?: string; text?: Text; fields?: Text[]; elements?: (Text | Button)[] };

const COMMAND = 'psql "$PROD_URL" -f migrations/0042_add_index.sql && echo done';

function approval(overrides: Partial<ApprovalView> = {}): ApprovalView {
  return {
    id: "apr_41b8fbc542850313b78db171",
    tenant: "acme",
    job_id: "job_f48a6d3ec220824841f6823c",
    status: "pending",
    created_at: "2026-11-21T03:53:54.006Z",
    expires_at: "2026-11-22T03:53:54.006Z",
    resolved_at: null,
    quorum: 2,
    approvers: ["slack:U024BE7LH", "email:sre-lead@example.com", "slack:U0G9QF9C6", "email:oncall@example.com"],
    votes: [],
    rule_id: "prod-writes-need-approval",
    reason: "Production writes need human sign-off",
    snapshot_hash: "sha256:7ca4f3672633af7d92cb3a05a77a9100b6f7260faa580e75eba9093d62c34c36",
    request_hash: "sha256:041902feaa7be4c6b2715c89132dd9168fd1994b3b81e5931bbdabc2d138a0dc",
    actor: { id: "migrate-bot", type: "agent", on_behalf_of: "alice@example.com" },
    job: {
      capability: "db.migration.apply",
      risk_tags: ["production", "write"],
      actor: { id: "migrate-bot", type: "agent", on_behalf_of: "alice@example.com" },
      action: { kind: "shell", command: COMMAND, cwd: "/srv/app" },
    },
    derived: { capability: "db.migration.apply", risk_tags: ["production", "write"], labels: { env: "prod" } },
    outcome: null,
    ...overrides,
  };
}

const blocksOf = (m: { blocks: unknown[] }) => m.blocks as Block[];
/** Every piece of mrkdwn/plain text in the message, in order. */
function texts(m: { blocks: unknown[] }): string[] {
  const out: string[] = [];
  for (const b of blocksOf(m)) {
    if (b.text) out.push(b.text.text);
    for (const f of b.fields ?? []) out.push(f.text);
    for (const e of b.elements ?? []) if ("text" in e && typeof e.text === "string") out.push(e.text);
  }
  return out;
}
const allText = (m: { blocks: unknown[] }) => texts(m).join("\n");
const sectionStarting = (m: { blocks: unknown[] }, label: string) =>
  blocksOf(m).find((b) => b.type === "section" && b.text?.text.startsWith(label))?.text?.text;
const voteBlock = (m: { blocks: unknown[] }) => blocksOf(m).find((b) => b.type === "actions");

/** Slack's own limits; a message over any of them is refused as a whole. */
function expectWithinSlackLimits(m: { text: string; blocks: unknown[] }): void {
  expect(m.blocks.length).toBeLessThanOrEqual(50);
  expect(m.text.length).toBeLessThanOrEqual(3000);
  for (const b of blocksOf(m)) {
    if (b.type === "header") expect(b.text?.text.length).toBeLessThanOrEqual(150);
    if (b.type === "section" && b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
    for (const f of b.fields ?? []) expect(f.text.length).toBeLessThanOrEqual(2000);
    expect(b.fields?.length ?? 0).toBeLessThanOrEqual(10);
    if (b.type === "context") for (const e of b.elements ?? []) expect((e as Text).text.length).toBeLessThanOrEqual(3000);
    if (b.type === "actions") for (const e of b.elements as Button[]) expect(e.value.length).toBeLessThanOrEqual(2000);
  }
}

/** No `&` that does not start one of the three entities: a cut never leaves half an entity. */
function expectOnlyWholeEntities(s: string): void {
  expect(s).not.toMatch(/&(?!amp;|lt;|gt;)/);
}

describe("approvalMessage", () => {
  const m = approvalMessage(approval(), {});

  it("shows exactly what would run: the command in a code block, escaped, and the other action fields", () => {
    expect(sectionStarting(m, "*What would run*")).toBe(
      '*What would run* (`shell`)\n```psql "$PROD_URL" -f migrations/0042_add_index.sql &amp;&amp; echo done```',
    );
    expect(sectionStarting(m, "*Other action fields*")).toBe('*Other action fields*\n```{\n  "cwd": "/srv/app"\n}```');
  });

  it("shows who asks, the capability, the risk tags, the rule and its reason", () => {
    const fields = blocksOf(m)
      .find((b) => b.fields)
      ?.fields?.map((f) => f.text);
    expect(fields).toEqual([
      "*Requested by*\n`migrate-bot` (agent)\non behalf of `alice@example.com`",
      "*Capability*\n`db.migration.apply`",
      "*Risk tags*\n`production` `write`",
      "*Rule*\n`prod-writes-need-approval`",
      "*Quorum*\n2 of 4 approvers",
      "*Expires*\n<!date^1795319634^{date_short_pretty} {time}|2026-11-22T03:53:54.006Z>",
      "*Labels*\n`env=prod`",
    ]);
    expect(sectionStarting(m, "*Why approval is needed*")).toBe("*Why approval is needed*\nProduction writes need human sign-off");
  });

  it("mentions Slack approvers so they are pinged, and lists the others", () => {
    expect(sectionStarting(m, "*Approvers*")).toBe(
      "*Approvers*\n<@U024BE7LH>, `email:sre-lead@example.com`, <@U0G9QF9C6>, `email:oncall@example.com`",
    );
  });

  it("has Approve and Reject buttons that carry the approval id and the vote", () => {
    const actions = voteBlock(m);
    expect(actions?.block_id).toBe("cordon_vote");
    const [approve, reject] = (actions?.elements ?? []) as Button[];
    expect(approve).toMatchObject({
      type: "button",
      action_id: "cordon_approve",
      style: "primary",
      text: { type: "plain_text", text: "Approve" },
    });
    expect(JSON.parse(approve?.value ?? "")).toEqual({ approval_id: "apr_41b8fbc542850313b78db171", vote: "approve" });
    expect(reject).toMatchObject({
      type: "button",
      action_id: "cordon_reject",
      style: "danger",
      text: { type: "plain_text", text: "Reject" },
    });
    expect(JSON.parse(reject?.value ?? "")).toEqual({ approval_id: "apr_41b8fbc542850313b78db171", vote: "reject" });
    // Reject asks for confirmation; approve does not.
    expect(reject?.confirm).toMatchObject({
      style: "danger",
      confirm: { type: "plain_text", text: "Reject" },
      deny: { type: "plain_text", text: "Cancel" },
    });
    expect(approve?.confirm).toBeUndefined();
  });

  it("has a plain fallback text and identifies the approval, job and tenant", () => {
    expect(m.text).toBe(
      'Approval needed: db.migration.apply (psql "$PROD_URL" -f migrations/0042_add_index.sql &amp;&amp; echo done) requested by migrate-bot on behalf of alice@example.com (rule prod-writes-need-approval; expires 2026-11-22T03:53:54.006Z)',
    );
    const context = blocksOf(m).find((b) => b.type === "context")?.elements?.[0] as Text;
    expect(context.text).toBe("Approval `apr_41b8fbc542850313b78db171` · job `job_f48a6d3ec220824841f6823c` · tenant `acme`");
    expectWithinSlackLimits(m);
  });

  it("links to the approval page when given a link base", () => {
    const linked = approvalMessage(approval(), { linkBase: "https://cordon.example.com/approvals/" });
    const context = blocksOf(linked).find((b) => b.type === "context")?.elements?.[0] as Text;
    expect(context.text).toContain("<https://cordon.example.com/approvals/apr_41b8fbc542850313b78db171|Open in Cordon>");
    const bogus = approvalMessage(approval(), { linkBase: "javascript:alert(1)//" });
    expect(allText(bogus)).not.toContain("Open in Cordon");
  });

  it("escapes <, > and & in everything the job provides, so nothing turns into a tag, mention or link", () => {
    const evil = "<script>alert(1)</script> & <!channel> <https://evil.example|click>";
    const hostile = approvalMessage(
      approval({
        reason: evil,
        rule_id: "<!here>",
        actor: { id: "<@U999>", type: "<b>", on_behalf_of: "<!everyone>" },
        approvers: ["<!channel>", "slack:U024BE7LH"],
        job: { capability: "x", action: { kind: "<shell>", command: `echo ${evil}`, env: { X: "<script>" } }, input: { q: "<script>" } },
        derived: { capability: "<script>cap</script>", risk_tags: ["<script>", "a&b"], labels: { k: "<v>" } },
      }),
      {},
    );
    const everything = `${hostile.text}\n${allText(hostile)}`;
    expect(everything).toContain("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;!channel&gt;");
    expect(everything).not.toMatch(/<script|<!channel|<!here|<!everyone|<@U999|<https:\/\/evil|<b>|<shell>|<v>/);
    expect(sectionStarting(hostile, "*Why approval is needed*")).toBe(
      "*Why approval is needed*\n&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;!channel&gt; &lt;https://evil.example|click&gt;",
    );
    expect(texts(hostile).join("")).toContain("`&lt;script&gt;` `a&amp;b`");
    // Our own mention of a real approver still works.
    expect(sectionStarting(hostile, "*Approvers*")).toBe("*Approvers*\n`&lt;!channel&gt;`, <@U024BE7LH>");
    expectOnlyWholeEntities(everything.replace(/<!date\^[^>]*>/g, ""));
  });

  it("does not let backticks in a command close the code block early", () => {
    const sneaky = approvalMessage(approval({ job: { action: { kind: "shell", command: "echo ```\n*approved*``` `x`" } } }), {});
    const text = sectionStarting(sneaky, "*What would run*") ?? "";
    expect(text.match(/```/g)).toHaveLength(2);
    expect(text.startsWith("*What would run* (`shell`)\n```")).toBe(true);
    expect(text.endsWith("```")).toBe(true);
    // Only zero-width spaces were added: what the approver reads is the command.
    expect(text.replace(/\u200b/g, "")).toContain("echo ```\n*approved*``` `x`");
  });

  it("cuts long text to Slack's limits, says the command was cut, and never cuts inside an entity", () => {
    const long = approvalMessage(
      approval({
        reason: "&".repeat(5000),
        approvers: Array.from({ length: 400 }, (_, i) => `email:approver-${i}@example.com`),
        job: { capability: "db.migration.apply", action: { kind: "shell", command: `${"<&>".repeat(4000)}` }, input: "x".repeat(9000) },
        derived: { capability: "db.migration.apply", risk_tags: Array.from({ length: 64 }, (_, i) => `tag-${i}-${"y".repeat(50)}`) },
      }),
      {},
    );
    expectWithinSlackLimits(long);
    const what = sectionStarting(long, "*What would run*") ?? "";
    expect(what).toMatch(/…```\n_cut to fit Slack: 12000 characters in full_$/);
    expectOnlyWholeEntities(what);
    expectOnlyWholeEntities(sectionStarting(long, "*Why approval is needed*") ?? "");
    expect(sectionStarting(long, "*Approvers*")).toMatch(/`email:approver-0@example.com`, .* and \d+ more$/);
    expect(sectionStarting(long, "*Input*")).toMatch(/_cut to fit Slack: 9002 characters in full_$/);
  });

  it("describes a job without a raw action by its capability or topic", () => {
    const byCapability = approvalMessage(
      approval({
        job: { capability: "k8s.namespace.delete" },
        derived: { capability: "k8s.namespace.delete", risk_tags: ["destructive"] },
      }),
      {},
    );
    expect(sectionStarting(byCapability, "*What would run*")).toBe(
      "*What would run*\nNo raw action was sent; the job asks for capability `k8s.namespace.delete`.",
    );
    const byTopic = approvalMessage(approval({ job: { topic: "deploy/payments" }, derived: { risk_tags: [] } }), {});
    expect(sectionStarting(byTopic, "*What would run*")).toBe(
      "*What would run*\nNo raw action was sent; the job asks for topic `deploy/payments`.",
    );
    expect(allText(byTopic)).toContain("*Risk tags*\nnone");
  });

  it("shows an action without a command as JSON, and the job's input", () => {
    const m2 = approvalMessage(
      approval({ job: { action: { kind: "http", method: "DELETE", url: "https://api.example.com/users/42" }, input: { confirm: true } } }),
      {},
    );
    expect(sectionStarting(m2, "*What would run*")).toBe(
      '*What would run* (`http`)\n```{\n  "method": "DELETE",\n  "url": "https://api.example.com/users/42"\n}```',
    );
    expect(sectionStarting(m2, "*Input*")).toBe('*Input*\n```{\n  "confirm": true\n}```');
  });

  it("shows the default approval and an unknown actor plainly", () => {
    const m2 = approvalMessage(approval({ rule_id: null, actor: null }), {});
    expect(allText(m2)).toContain("*Rule*\ndefault approval");
    expect(allText(m2)).toContain("*Requested by*\nunknown actor");
    expect(m2.text).toContain("requested by an unknown actor (rule default approval;");
  });
});

describe("outcomeMessage", () => {
  const votes = [
    { approver: "slack:U024BE7LH", vote: "approve" as const, note: null, at: "2026-11-21T09:10:00.000Z", via: "slack" as const },
    {
      approver: "email:oncall@example.com",
      vote: "approve" as const,
      note: "LGTM <3",
      at: "2026-11-21T09:12:00.000Z",
      via: "link" as const,
    },
  ];

  it("replaces the buttons with who approved and when, keeping the details", () => {
    const m = outcomeMessage(
      approval({
        status: "approved",
        votes,
        resolved_at: "2026-11-21T09:12:00.000Z",
        outcome: { state: "approved", reason: "Quorum reached" },
      }),
    );
    expect(m.replace_original).toBe(true);
    expect(voteBlock(m)).toBeUndefined();
    expect(blocksOf(m)[0]).toEqual({ type: "header", text: { type: "plain_text", text: "Approved" } });
    expect(blocksOf(m)[1]?.text?.text).toBe(
      ":white_check_mark: *Approved* by <@U024BE7LH>, `email:oncall@example.com` <!date^1795252320^{date_short_pretty} {time}|2026-11-21T09:12:00.000Z>\nQuorum reached",
    );
    expect(sectionStarting(m, "*What would run*")).toContain("psql");
    expect(sectionStarting(m, "*Votes*")).toContain("`email:oncall@example.com` voted *approve* via link");
    expect(sectionStarting(m, "*Votes*")).toContain(": LGTM &lt;3");
    expect(m.text).toBe(
      'Approved: db.migration.apply (psql "$PROD_URL" -f migrations/0042_add_index.sql &amp;&amp; echo done) requested by migrate-bot on behalf of alice@example.com',
    );
    expectWithinSlackLimits(m);
  });

  it("says who rejected", () => {
    const m = outcomeMessage(
      approval({
        status: "rejected",
        votes: [
          { approver: "slack:U0G9QF9C6", vote: "reject", note: "not during the freeze", at: "2026-11-21T09:12:00.000Z", via: "slack" },
        ],
        resolved_at: "2026-11-21T09:12:00.000Z",
        outcome: { state: "rejected", reason: "Rejected by an approver" },
      }),
    );
    expect(blocksOf(m)[1]?.text?.text).toMatch(/^:x: \*Rejected\* by <@U0G9QF9C6> <!date\^1795252320\^/);
    expect(voteBlock(m)).toBeUndefined();
  });

  it("says an approval expired and how many approvals it had", () => {
    const m = outcomeMessage(
      approval({
        status: "expired",
        votes: votes.slice(0, 1),
        resolved_at: "2026-11-22T03:53:54.006Z",
        outcome: { state: "expired", reason: "No quorum before expiry" },
      }),
    );
    expect(blocksOf(m)[0]).toEqual({ type: "header", text: { type: "plain_text", text: "Expired" } });
    expect(blocksOf(m)[1]?.text?.text).toBe(
      ":hourglass: *Expired* <!date^1795319634^{date_short_pretty} {time}|2026-11-22T03:53:54.006Z> with 1 of 2 approvals needed\nNo quorum before expiry",
    );
  });

  it("says a job was denied after re-evaluation although approved, and why", () => {
    const m = outcomeMessage(
      approval({
        status: "approved",
        votes,
        resolved_at: "2026-11-21T09:12:00.000Z",
        outcome: { state: "denied", reason: "Policy changed: <block-destructive-prod> now denies it" },
      }),
    );
    expect(blocksOf(m)[0]).toEqual({ type: "header", text: { type: "plain_text", text: "Denied after re-evaluation" } });
    const line = blocksOf(m)[1]?.text?.text ?? "";
    expect(line).toContain(":no_entry: *Denied after re-evaluation*");
    expect(line).toContain("approved by <@U024BE7LH>, `email:oncall@example.com`");
    expect(line).toContain("Policy changed: &lt;block-destructive-prod&gt; now denies it");
  });
});

describe("parseInteraction", () => {
  const message = approvalMessage(approval(), {});
  const buttons = voteBlock(message)?.elements as Button[];

  /** A block_actions payload as Slack sends it when an approver clicks a button of `message`. */
  function clickPayload(button: Button, overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      type: "block_actions",
      user: { id: "U024BE7LH", username: "sre.lead", name: "sre.lead", team_id: "T9TK3CUKW" },
      api_app_id: "A0KRD7HC3",
      token: "Shh_its_a_seekrit",
      container: { type: "message", message_ts: "1548261231.000200", channel_id: "C0LAN2Q65", is_ephemeral: false },
      trigger_id: "12321423423.333649436676.d8c1bb837935619ccad0f624c448ffb3",
      team: { id: "T9TK3CUKW", domain: "example" },
      enterprise: null,
      is_enterprise_install: false,
      channel: { id: "C0LAN2Q65", name: "approvals" },
      message: { type: "message", ts: "1548261231.000200", text: message.text, blocks: message.blocks },
      state: { values: {} },
      response_url: "https://hooks.slack.com/actions/T9TK3CUKW/397700885554/96rGlfmibIGlgcZRskXaIFfN",
      actions: [
        {
          action_id: button.action_id,
          block_id: "cordon_vote",
          text: { ...button.text, emoji: true },
          value: button.value,
          style: button.style,
          type: "button",
          action_ts: "1548426417.840180",
        },
      ],
      ...overrides,
    };
  }
  const form = (payload: unknown) => new URLSearchParams({ payload: typeof payload === "string" ? payload : JSON.stringify(payload) });
  const approve = buttons[0] as Button;
  const reject = buttons[1] as Button;

  it("reads an approve click on the rendered message", () => {
    expect(parseInteraction(form(clickPayload(approve)))).toEqual({
      ok: true,
      approvalId: "apr_41b8fbc542850313b78db171",
      vote: "approve",
      slackUser: "U024BE7LH",
      teamId: "T9TK3CUKW",
      responseUrl: "https://hooks.slack.com/actions/T9TK3CUKW/397700885554/96rGlfmibIGlgcZRskXaIFfN",
    });
  });

  it("reads a reject click, signed and sent as Slack sends it, after verifying the raw body", async () => {
    const secret = "8f742231b10e8888abcd99yyyzzz85a5";
    const now = 1_795_250_000;
    const raw = form(clickPayload(reject)).toString();
    const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`v0:${now}:${raw}`)));
    const request = new Request("https://cordon.example.com/slack/interactions", {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": String(now),
        "x-slack-signature": `v0=${[...mac].map((b) => b.toString(16).padStart(2, "0")).join("")}`,
      },
      body: raw,
    });
    const body = await request.arrayBuffer();
    expect(await verifySlackSignature(body, request.headers, secret, now + 2)).toEqual({ ok: true });
    const result = parseInteraction(new URLSearchParams(new TextDecoder().decode(body)));
    expect(result).toMatchObject({ ok: true, approvalId: "apr_41b8fbc542850313b78db171", vote: "reject", slackUser: "U024BE7LH" });
  });

  it("takes the team from the user when the payload has none (org-wide installs), and allows no response_url", () => {
    const { response_url: _, ...withoutUrl } = clickPayload(approve, { team: null });
    expect(parseInteraction(form(withoutUrl))).toMatchObject({ ok: true, teamId: "T9TK3CUKW", responseUrl: null });
  });

  it("finds the vote among other actions", () => {
    const payload = clickPayload(approve);
    const actions = payload.actions as unknown[];
    payload.actions = [{ action_id: "something_else", block_id: "b", type: "button", value: "x" }, ...actions];
    expect(parseInteraction(form(payload))).toMatchObject({ ok: true, vote: "approve" });
  });

  const reasonFor = (f: URLSearchParams) => {
    const r = parseInteraction(f);
    expect(r.ok).toBe(false);
    return r.ok ? "" : r.reason;
  };
  const withAction = (patch: Record<string, unknown>) => {
    const p = clickPayload(approve);
    p.actions = [{ ...(p.actions as Record<string, unknown>[])[0], ...patch }];
    return form(p);
  };

  it("refuses junk", () => {
    expect(reasonFor(new URLSearchParams())).toBe("no payload field in the form");
    expect(reasonFor(new URLSearchParams("token=abc&command=%2Fdeploy"))).toBe("no payload field in the form");
    expect(reasonFor(form("{not json"))).toBe("payload is not valid JSON");
    expect(reasonFor(form("null"))).toMatch(/^payload is not a block_actions interaction/);
    expect(reasonFor(form([1, 2]))).toMatch(/^payload is not a block_actions interaction/);
    expect(reasonFor(form(clickPayload(approve, { type: "view_submission" })))).toMatch(
      /^payload is not a block_actions interaction: type/,
    );
    expect(reasonFor(form(clickPayload(approve, { user: { id: "" } })))).toMatch(/user\.id/);
    expect(reasonFor(form(clickPayload(approve, { actions: [] })))).toMatch(/actions/);
    expect(reasonFor(form(clickPayload(approve, { response_url: "http://hooks.slack.com/actions/x" })))).toMatch(/response_url/);
    expect(reasonFor(form(clickPayload(approve, { response_url: "not a url" })))).toMatch(/response_url/);
  });

  it("refuses a payload without a Cordon vote, or with two", () => {
    expect(reasonFor(withAction({ action_id: "approve" }))).toBe("no Cordon vote button in the payload");
    const p = clickPayload(approve);
    p.actions = [...(p.actions as unknown[]), ...(clickPayload(reject).actions as unknown[])];
    expect(reasonFor(form(p))).toBe("more than one Cordon vote in the payload");
    expect(reasonFor(withAction({ block_id: "other_block" }))).toBe("vote button is not in the Cordon vote block");
  });

  it("validates the button value strictly", () => {
    expect(reasonFor(withAction({ value: undefined }))).toBe("vote button carries no value");
    expect(reasonFor(withAction({ value: "approve" }))).toBe("vote button value is not valid JSON");
    expect(reasonFor(withAction({ value: "[]" }))).toMatch(/^vote button value is malformed/);
    expect(reasonFor(withAction({ value: JSON.stringify({ approval_id: "apr_1" }) }))).toMatch(/vote/);
    expect(reasonFor(withAction({ value: JSON.stringify({ approval_id: "apr_1", vote: "maybe" }) }))).toMatch(/vote/);
    expect(reasonFor(withAction({ value: JSON.stringify({ approval_id: "", vote: "approve" }) }))).toMatch(/approval_id/);
    expect(reasonFor(withAction({ value: JSON.stringify({ approval_id: "../apr_1", vote: "approve" }) }))).toMatch(/approval_id/);
    expect(reasonFor(withAction({ value: JSON.stringify({ approval_id: 42, vote: "approve" }) }))).toMatch(/approval_id/);
    expect(reasonFor(withAction({ value: JSON.stringify({ approval_id: "apr_1", vote: "approve", admin: true }) }))).toMatch(/admin/);
  });

  it("refuses a value that disagrees with the button it came from", () => {
    expect(reasonFor(withAction({ value: reject.value }))).toBe("vote button value does not match the button");
  });
});
