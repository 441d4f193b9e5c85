import type { Context } from "hono";
import { Hono } from "hono";
import { ApiError } from "../api/errors";
import { APPROVAL_ID, approvalStub, castVote, linkSecret } from "../approvals/api";
import type { ApprovalView } from "../approvals/types";
import type { AppEnv } from "../worker/http";
import { ConfirmPage, ResultPage, renderPage } from "./pages";
import { type VoteClaims, verifyVoteToken } from "./token";

/**
 * Signed approval links: `GET /approve/{token}` shows the job and a confirm
 * button and changes nothing (mail scanners and link previews fetch GETs);
 * `POST /approve/{token}` casts the vote the token names. Pages only, no API key.
 */
export const linkRoutes = new Hono<AppEnv>();

type Status = 200 | 400 | 403 | 404 | 409 | 410 | 503;

function page(c: Context<AppEnv>, status: Status, title: string, message: string, approval?: ApprovalView) {
  const tone = status === 200 ? "success" : "error";
  return c.html(renderPage(ResultPage({ title, message, approval, tone })), status, PAGE_HEADERS);
}

const PAGE_HEADERS = {
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  "cache-control": "no-store",
  "referrer-policy": "no-referrer",
  "x-robots-tag": "noindex",
};

const TOKEN_ERRORS = {
  malformed: [400, "This link is not valid", "The link is incomplete or damaged. Use the link exactly as you received it."],
  forged: [403, "This link is not valid", "The link has been altered or was not issued by Cordon. Nothing was done."],
  expired: [410, "This link has expired", "The approval it belongs to has expired, so the job was not run."],
} as const;

/** Verify the token, or answer with the page that says why not. */
async function claimsOf(c: Context<AppEnv>): Promise<VoteClaims | Response> {
  let secret: string;
  try {
    secret = linkSecret(c.env);
  } catch (e) {
    return page(c, 503, "Links are unavailable", e instanceof ApiError ? e.message : "approval links are not configured");
  }
  const r = await verifyVoteToken(c.req.param("token") ?? "", secret, Date.now());
  if (r.ok && APPROVAL_ID.test(r.claims.approval_id)) return r.claims;
  const [status, title, message] = TOKEN_ERRORS[r.ok ? "malformed" : r.reason];
  return page(c, status, title, message);
}

linkRoutes.get("/:token", async (c) => {
  const claims = await claimsOf(c);
  if (claims instanceof Response) return claims;
  const stub = approvalStub(c.env, claims.approval_id);
  const approval = await stub.view(claims.tenant);
  if (!approval) return page(c, 404, "No such approval", "The approval this link belongs to does not exist.");
  if (await stub.linkUsed(claims.nonce)) return page(c, 409, "This link has already been used", "Each link works once.", approval);
  if (approval.status !== "pending")
    return page(c, 409, `Already ${approval.status}`, "This approval is already decided; your vote is no longer needed.", approval);
  const action = new URL(c.req.url).pathname;
  return c.html(renderPage(ConfirmPage({ approval, claims, action })), 200, PAGE_HEADERS);
});

linkRoutes.post("/:token", async (c) => {
  const claims = await claimsOf(c);
  if (claims instanceof Response) return claims;
  try {
    const approval = await castVote(c.env, claims.approval_id, {
      tenant: claims.tenant,
      approver: claims.approver,
      vote: claims.vote,
      via: "link",
      nonce: claims.nonce,
    });
    const decided =
      approval.status === "pending"
        ? `Your ${claims.vote === "approve" ? "approval" : "rejection"} was recorded. ${approval.votes.filter((v) => v.vote === "approve").length} of ${approval.quorum} approvals so far.`
        : approval.outcome
          ? `The approval is ${approval.status}: ${approval.outcome.reason}.`
          : `The approval is ${approval.status}.`;
    return page(c, 200, "Vote recorded", decided, approval);
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    const status = e.status as Status;
    const title =
      { 403: "You cannot vote on this", 404: "No such approval", 409: "Vote not recorded", 503: "Try again" }[status as 403] ??
      "Vote not recorded";
    return page(c, status, title, e.message);
  }
});
