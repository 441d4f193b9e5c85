import { Hono } from "hono";
import { ApiError } from "../api/errors";
import { approvalStub, castVote } from "../approvals/api";
import type { AppEnv } from "../worker/http";
import { parseInteraction } from "./messages";
import { verifySlackSignature } from "./signature";

/** Slack must hear back within 3 s; past this, the vote finishes in the background. */
const ACK_WITHIN_MS = 2_500;
const MAX_SLACK_BODY = 64 * 1024;

const ephemeral = (text: string) => ({ response_type: "ephemeral", replace_original: false, text });

/**
 * `POST /v1/slack/interactions`: Slack's interactivity endpoint. Slack's
 * signature is checked on the raw bytes before anything is parsed; the
 * clicking user votes as `slack:<user id>`, and must be one of the approval's
 * approvers like any other voter.
 */
export const slackRoutes = new Hono<AppEnv>();

slackRoutes.post("/interactions", async (c) => {
  const raw = new Uint8Array(await c.req.raw.arrayBuffer());
  if (raw.byteLength > MAX_SLACK_BODY) throw new ApiError("payload_too_large", "the body is over 64 KiB");
  const check = await verifySlackSignature(raw, c.req.raw.headers, c.env.SLACK_SIGNING_SECRET ?? "", Math.floor(Date.now() / 1000));
  if (!check.ok) throw new ApiError("unauthorized", `Slack signature rejected: ${check.reason}`);
  let form: URLSearchParams;
  try {
    form = new URLSearchParams(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(raw));
  } catch {
    throw new ApiError("invalid_request", "the body is not form-encoded UTF-8");
  }
  const action = parseInteraction(form);
  if (!action.ok) throw new ApiError("invalid_request", `not a Cordon vote: ${action.reason}`);

  const tenant = await approvalStub(c.env, action.approvalId).tenantOf();
  if (!tenant) return c.json(ephemeral("This approval no longer exists."));
  const vote = castVote(c.env, action.approvalId, {
    tenant,
    approver: `slack:${action.slackUser}`,
    vote: action.vote,
    via: "slack",
    ...(action.responseUrl ? { response_url: action.responseUrl } : {}),
  }).then(
    (a) =>
      a.status === "pending"
        ? ephemeral(
            `Your ${action.vote === "approve" ? "approval" : "rejection"} was recorded: ${a.votes.filter((v) => v.vote === "approve").length} of ${a.quorum} approvals so far.`,
          )
        : ephemeral(`Recorded. The approval is ${a.status}.`),
    (e: unknown) =>
      ephemeral(e instanceof ApiError ? `Your vote was not counted: ${e.message}` : "Your vote could not be recorded; try again."),
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ACK_WITHIN_MS);
  });
  const answer = await Promise.race([vote, late]);
  clearTimeout(timer);
  if (answer) return c.json(answer);
  c.executionCtx.waitUntil(vote);
  return c.json(ephemeral("Recording your vote…"));
});
