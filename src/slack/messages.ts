/**
 * The Slack side of an approval: the Block Kit message that asks approvers to
 * vote, the message that replaces it once the approval is resolved, and the
 * parser for the button click Slack sends back.
 *
 * Everything shown comes from the job an agent sent, so it is untrusted text:
 * `&`, `<` and `>` are escaped everywhere mrkdwn is parsed (otherwise a job could
 * smuggle in `<!channel>` or a disguised link), and long values are cut to
 * Slack's limits with a visible marker, because Slack rejects the whole message
 * when one block is too long.
 */
import { z } from "zod";
import type { ApprovalView, ApprovalVote, VoteValue } from "../approvals/types";

export const APPROVE_ACTION_ID = "cordon_approve";
export const REJECT_ACTION_ID = "cordon_reject";
export const VOTE_BLOCK_ID = "cordon_vote";

// Slack's documented limits (Block Kit reference). Lengths are counted in UTF-16
// code units here, which is never fewer than Slack's count, so we stay inside.
const SECTION_TEXT_MAX = 3000;
const FIELD_TEXT_MAX = 2000;
const CONTEXT_TEXT_MAX = 3000;
const HEADER_TEXT_MAX = 150;
// The top-level `text` is what notifications and screen readers show; Slack
// truncates only at 40,000 characters, but nobody reads that much in a banner.
const FALLBACK_TEXT_MAX = 3000;

export type SlackMessage = { text: string; blocks: unknown[] };

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * Builds the message that asks approvers to vote: who asks, what exactly would
 * run, why it needs approval, who may vote and until when, and the two buttons.
 *
 * @param a the approval as the approval Durable Object shows it
 * @param opts.linkBase where approvals are shown on the web; when set, the message links to `${linkBase}/${approval id}`
 * @returns `text` (plain fallback for notifications) and `blocks` for `chat.postMessage` or an incoming webhook
 */
export function approvalMessage(a: ApprovalView, opts: { linkBase?: string }): SlackMessage {
  const blocks: unknown[] = [header("Approval needed"), ...detailBlocks(a, opts.linkBase)];
  blocks.push({
    type: "actions",
    block_id: VOTE_BLOCK_ID,
    elements: [
      {
        type: "button",
        action_id: APPROVE_ACTION_ID,
        text: { type: "plain_text", text: "Approve" },
        style: "primary",
        value: voteValue(a.id, "approve"),
      },
      {
        type: "button",
        action_id: REJECT_ACTION_ID,
        text: { type: "plain_text", text: "Reject" },
        style: "danger",
        value: voteValue(a.id, "reject"),
        // A reject cannot be taken back, and the red button sits next to the green one.
        confirm: {
          title: { type: "plain_text", text: "Reject this job?" },
          text: { type: "plain_text", text: "Your vote is final: the job will not run if the rejection decides the approval." },
          confirm: { type: "plain_text", text: "Reject" },
          deny: { type: "plain_text", text: "Cancel" },
          style: "danger",
        },
      },
    ],
  });
  const expires = isoOrRaw(a.expires_at);
  const text = `Approval needed: ${whatPlain(a)} requested by ${actorPlain(a)} (rule ${a.rule_id ?? "default approval"}; expires ${expires})`;
  return { text: cut(escapeMrkdwn(text), FALLBACK_TEXT_MAX), blocks };
}

/**
 * Builds the message that replaces the approval message once the approval is
 * resolved: the same details, no buttons, and one line saying how it ended.
 *
 * @param a the resolved approval (a pending one renders as "still pending")
 * @returns a message for the interaction's `response_url`, replacing the original
 */
export function outcomeMessage(a: ApprovalView): SlackMessage & { replace_original: true } {
  const outcome = describeOutcome(a);
  const blocks: unknown[] = [
    header(outcome.title),
    // Bounded: our words, a voter list of at most 1500 characters and a reason cut to 1000.
    { type: "section", text: { type: "mrkdwn", text: outcome.line } },
    ...detailBlocks(a, undefined),
  ];
  const text = `${outcome.title}: ${whatPlain(a)} requested by ${actorPlain(a)}`;
  return { text: cut(escapeMrkdwn(text), FALLBACK_TEXT_MAX), blocks, replace_original: true };
}

export type InteractionResult =
  | { ok: true; approvalId: string; vote: VoteValue; slackUser: string; teamId: string | null; responseUrl: string | null }
  | { ok: false; reason: string };

// Slack IDs (users, teams) are upper-case letters and digits.
const slackId = z.string().regex(/^[A-Z0-9]{2,64}$/);

// Loose on purpose: Slack adds fields to interaction payloads over time; only
// what we read is checked.
const blockActionsSchema = z.object({
  type: z.literal("block_actions"),
  user: z.object({ id: slackId, team_id: slackId.optional() }),
  team: z.object({ id: slackId }).nullable().optional(),
  response_url: z.url({ protocol: /^https$/ }).optional(),
  actions: z.array(z.object({ action_id: z.string(), block_id: z.string().optional(), value: z.string().optional() })).min(1),
});

// Strict: we wrote this value ourselves, so anything else in it means it was not ours.
const voteValueSchema = z.strictObject({
  approval_id: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/),
  vote: z.enum(["approve", "reject"]),
});

/**
 * Reads a vote from Slack's interaction request (`application/x-www-form-urlencoded`
 * with a `payload` field holding JSON). Call it only after the request's
 * signature has been verified on the raw body.
 *
 * @param form the parsed form body
 * @returns the vote, who cast it and where to send the updated message, or `{ ok: false, reason }`
 */
export function parseInteraction(form: URLSearchParams): InteractionResult {
  const raw = form.get("payload");
  if (raw === null) return { ok: false, reason: "no payload field in the form" };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, reason: "payload is not valid JSON" };
  }
  const parsed = blockActionsSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: `payload is not a block_actions interaction: ${describeIssues(parsed.error)}` };
  const payload = parsed.data;

  const ours = payload.actions.filter((x) => x.action_id === APPROVE_ACTION_ID || x.action_id === REJECT_ACTION_ID);
  if (ours.length === 0) return { ok: false, reason: "no Cordon vote button in the payload" };
  // One click sends one action; several votes in one request are not something Slack does.
  if (ours.length > 1) return { ok: false, reason: "more than one Cordon vote in the payload" };
  const action = ours[0] as (typeof ours)[number];
  if (action.block_id !== VOTE_BLOCK_ID) return { ok: false, reason: "vote button is not in the Cordon vote block" };
  if (action.value === undefined) return { ok: false, reason: "vote button carries no value" };

  let valueJson: unknown;
  try {
    valueJson = JSON.parse(action.value);
  } catch {
    return { ok: false, reason: "vote button value is not valid JSON" };
  }
  const value = voteValueSchema.safeParse(valueJson);
  if (!value.success) return { ok: false, reason: `vote button value is malformed: ${describeIssues(value.error)}` };
  // The button's id and its value must tell the same story; a mismatch means the
  // value was not the one we rendered for that button.
  const buttonVote: VoteValue = action.action_id === APPROVE_ACTION_ID ? "approve" : "reject";
  if (value.data.vote !== buttonVote) return { ok: false, reason: "vote button value does not match the button" };

  return {
    ok: true,
    approvalId: value.data.approval_id,
    vote: value.data.vote,
    slackUser: payload.user.id,
    teamId: payload.team?.id ?? payload.user.team_id ?? null,
    responseUrl: payload.response_url ?? null,
  };
}

// ---------------------------------------------------------------------------

function voteValue(approvalId: string, vote: VoteValue): string {
  return JSON.stringify({ approval_id: approvalId, vote });
}

function header(text: string): unknown {
  // plain_text is not parsed as mrkdwn, so it is not escaped; only our own words go here.
  return { type: "header", text: { type: "plain_text", text: text.slice(0, HEADER_TEXT_MAX) } };
}

/** A section of our own label and a body; only the body is cut, so the label and our own tokens stay whole. */
function section(label: string, body: string): unknown {
  return { type: "section", text: { type: "mrkdwn", text: `${label}\n${cut(body, SECTION_TEXT_MAX - label.length - 1)}` } };
}

/**
 * Joins rendered items (mentions, inline code) while they fit in `max`, then says
 * how many were left out: cutting in the middle would break a `<@U…>` mention.
 */
function list(items: string[], sep: string, max: number, empty: string): string {
  if (items.length === 0) return empty;
  let out = "";
  for (let i = 0; i < items.length; i++) {
    const next = i === 0 ? (items[i] as string) : `${out}${sep}${items[i]}`;
    const more = ` and ${items.length - i - 1} more`;
    if (next.length + (i < items.length - 1 ? more.length : 0) > max) {
      return i === 0 ? `${items.length} (too many to list)` : `${out} and ${items.length - i} more`;
    }
    out = next;
  }
  return out;
}

/** The blocks both messages share: requester, action, rule, quorum, expiry, votes, ids. */
function detailBlocks(a: ApprovalView, linkBase: string | undefined): unknown[] {
  const job = a.job;
  const blocks: unknown[] = [];

  const fields: string[] = [`*Requested by*\n${actorMrkdwn(a)}`];
  const capability = a.derived.capability ?? stringField(job, "capability");
  if (capability !== undefined) fields.push(`*Capability*\n${inline(capability)}`);
  const topic = stringField(job, "topic");
  if (topic !== undefined) fields.push(`*Topic*\n${inline(topic)}`);
  fields.push(`*Risk tags*\n${list(a.derived.risk_tags.map(inline), " ", FIELD_TEXT_MAX - 20, "none")}`);
  fields.push(`*Rule*\n${a.rule_id === null ? "default approval" : inline(a.rule_id)}`);
  fields.push(`*Quorum*\n${a.quorum} of ${a.approvers.length} approver${a.approvers.length === 1 ? "" : "s"}`);
  fields.push(`*Expires*\n${slackDate(a.expires_at)}`);
  const labels = Object.entries(a.derived.labels ?? {});
  if (labels.length > 0)
    fields.push(
      `*Labels*\n${list(
        labels.map(([k, v]) => inline(`${k}=${v}`)),
        " ",
        FIELD_TEXT_MAX - 20,
        "none",
      )}`,
    );
  // Every field is ours or already bounded (inline() keeps values to 200 characters).
  blocks.push({ type: "section", fields: fields.map((text) => ({ type: "mrkdwn", text })) });

  blocks.push(section("*Why approval is needed*", escapeMrkdwn(a.reason)));
  const findings = a.derived.findings ?? [];
  if (findings.length > 0)
    blocks.push(
      section(
        "*What Cordon read from the action*",
        list(
          findings.map((f) => `• ${escapeMrkdwn(f)}`),
          "\n",
          SECTION_TEXT_MAX - 40,
          "",
        ),
      ),
    );
  blocks.push(...whatWouldRun(job, capability, topic));

  blocks.push(section("*Approvers*", list(a.approvers.map(principal), ", ", SECTION_TEXT_MAX - 20, "nobody is listed")));
  if (a.votes.length > 0) blocks.push(section("*Votes*", list(a.votes.map(voteLine), "\n", SECTION_TEXT_MAX - 20, "")));

  const context = [`Approval ${inline(a.id)}`, `job ${inline(a.job_id)}`, `tenant ${inline(a.tenant)}`];
  const link = linkBase === undefined ? null : approvalLink(linkBase, a.id);
  if (link !== null) context.push(`<${link}|Open in Cordon>`);
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: cut(context.join(" · "), CONTEXT_TEXT_MAX) }] });
  return blocks;
}

/**
 * "What exactly would run": the raw action as sent (the command in a code block,
 * and every other field of the action, so that nothing that changes what runs,
 * such as `env` or `cwd`, is hidden), then the input; a job without an action is
 * described by its capability or topic.
 */
function whatWouldRun(job: Record<string, unknown>, capability: string | undefined, topic: string | undefined): unknown[] {
  const action = objectField(job, "action");
  const blocks: unknown[] = [];
  if (action === undefined) {
    const named =
      capability !== undefined ? `capability ${inline(capability)}` : topic !== undefined ? `topic ${inline(topic)}` : "nothing";
    blocks.push(section("*What would run*", `No raw action was sent; the job asks for ${named}.`));
  } else {
    const kind = typeof action.kind === "string" ? ` (${inline(action.kind)})` : "";
    const { kind: _kind, command, ...rest } = action;
    if (typeof command === "string") {
      blocks.push(codeSection(`*What would run*${kind}`, command));
      if (Object.keys(rest).length > 0) blocks.push(codeSection("*Other action fields*", toJson(rest)));
    } else {
      const shown = command === undefined ? rest : { command, ...rest };
      blocks.push(codeSection(`*What would run*${kind}`, toJson(shown)));
    }
  }
  if (job.input !== undefined) blocks.push(codeSection("*Input*", toJson(job.input)));
  return blocks;
}

function codeSection(label: string, raw: string): unknown {
  return { type: "section", text: { type: "mrkdwn", text: `${label}\n${codeBlock(raw, SECTION_TEXT_MAX - label.length - 1)}` } };
}

function describeOutcome(a: ApprovalView): { title: string; line: string } {
  const state = a.outcome?.state ?? (a.status === "pending" ? null : a.status);
  const when = a.resolved_at === null ? "" : ` ${slackDate(a.resolved_at)}`;
  const why = a.outcome?.reason ? `\n${cut(escapeMrkdwn(a.outcome.reason), 1000)}` : "";
  const approvedBy = voters(a.votes, "approve");
  switch (state) {
    case "approved":
      return { title: "Approved", line: `:white_check_mark: *Approved* by ${approvedBy}${when}${why}` };
    case "rejected":
      return { title: "Rejected", line: `:x: *Rejected* by ${voters(a.votes, "reject")}${when}${why}` };
    case "expired": {
      const count = a.votes.filter((v) => v.vote === "approve").length;
      return { title: "Expired", line: `:hourglass: *Expired*${when} with ${count} of ${a.quorum} approvals needed${why}` };
    }
    case "denied":
      // The approvers said yes, but the job was evaluated again on release and policy now says no.
      return {
        title: "Denied after re-evaluation",
        line: `:no_entry: *Denied after re-evaluation*${when}; approved by ${approvedBy}${why}`,
      };
    case null:
      return { title: "Still pending", line: `:hourglass_flowing_sand: *Still pending*; expires ${slackDate(a.expires_at)}` };
  }
}

function voters(votes: ApprovalVote[], vote: VoteValue): string {
  return list(
    votes.filter((v) => v.vote === vote).map((v) => principal(v.approver)),
    ", ",
    1500,
    "no recorded vote",
  );
}

function voteLine(v: ApprovalVote): string {
  const note = v.note ? `: ${escapeMrkdwn(oneLine(v.note, 300))}` : "";
  return `${principal(v.approver)} voted *${v.vote}* via ${v.via} ${slackDate(v.at)}${note}`;
}

/** `slack:U024BE7LH` becomes a mention (which pings the approver); anything else is shown as text. */
function principal(id: string): string {
  const m = /^slack:([UW][A-Z0-9]{2,63})$/.exec(id);
  return m ? `<@${m[1]}>` : inline(id);
}

function actorMrkdwn(a: ApprovalView): string {
  if (a.actor === null) return "unknown actor";
  const type = a.actor.type ? ` (${escapeMrkdwn(a.actor.type)})` : "";
  const behalf = a.actor.on_behalf_of ? `\non behalf of ${inline(a.actor.on_behalf_of)}` : "";
  return `${inline(a.actor.id)}${type}${behalf}`;
}

function actorPlain(a: ApprovalView): string {
  if (a.actor === null) return "an unknown actor";
  return a.actor.on_behalf_of ? `${a.actor.id} on behalf of ${a.actor.on_behalf_of}` : a.actor.id;
}

function whatPlain(a: ApprovalView): string {
  const action = objectField(a.job, "action");
  const command = action !== undefined && typeof action.command === "string" ? action.command : undefined;
  const capability = a.derived.capability ?? stringField(a.job, "capability") ?? stringField(a.job, "topic") ?? "a job";
  return command !== undefined ? `${capability} (${oneLine(command, 200)})` : capability;
}

/**
 * Slack's date formatting: readers see the time in their own time zone, and
 * clients that cannot render it show the ISO text after the `|`.
 */
function slackDate(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return escapeMrkdwn(iso);
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${new Date(ms).toISOString()}>`;
}

function isoOrRaw(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : new Date(ms).toISOString();
}

function approvalLink(linkBase: string, id: string): string | null {
  let url: URL;
  try {
    url = new URL(`${linkBase.replace(/\/+$/, "")}/${encodeURIComponent(id)}`);
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  // `|` would end the link's URL part and `<`, `>`, `&` are mrkdwn control characters.
  return escapeMrkdwn(url.toString()).replace(/\|/g, "%7C");
}

/** Short user text as inline code; text that would break out of the backticks is shown escaped instead. */
function inline(raw: string): string {
  const text = oneLine(raw, 200);
  if (text.length === 0) return "(empty)";
  return text.includes("`") ? escapeMrkdwn(text) : `\`${escapeMrkdwn(text)}\``;
}

function oneLine(raw: string, max: number): string {
  const flat = raw.replace(/[\r\n]+/g, " ");
  return flat.length <= max ? flat : `${dropLoneSurrogate(flat.slice(0, max - 1))}…`;
}

/**
 * A code block of untrusted text. Runs of backticks are broken with a zero-width
 * space so the text cannot close the block early; the text is otherwise shown
 * as sent. When it is cut, a line below the block says so, because an approver
 * must not mistake part of a command for all of it.
 */
function codeBlock(raw: string, max: number): string {
  const note = `\n_cut to fit Slack: ${raw.length} characters in full_`;
  let body = escapeMrkdwn(raw).replace(/`(?=`)/g, "`\u200b");
  if (body.startsWith("`")) body = `\u200b${body}`;
  if (body.endsWith("`")) body = `${body}\u200b`;
  if (body.length + 6 <= max) return `\`\`\`${body}\`\`\``;
  return `\`\`\`${cut(body, max - 6 - note.length)}\`\`\`${note}`;
}

/**
 * Cuts escaped mrkdwn to `max` characters, never inside an entity such as
 * `&amp;` or a surrogate pair, and marks the cut with an ellipsis.
 */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max - 1).replace(/&(?:a|am|amp|l|lt|g|gt)?$/, "");
  return `${dropLoneSurrogate(head)}…`;
}

function dropLoneSurrogate(text: string): string {
  const last = text.charCodeAt(text.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? text.slice(0, -1) : text;
}

function toJson(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? String(value);
}

function stringField(obj: Record<string, unknown>, key: string): string | undefined {
  const v = obj[key];
  return typeof v === "string" ? v : undefined;
}

function objectField(obj: Record<string, unknown>, key: string): Record<string, unknown> | undefined {
  const v = obj[key];
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length > 0 ? i.path.map(String).join(".") : "(root)"}: ${i.message}`)
    .join("; ");
}
