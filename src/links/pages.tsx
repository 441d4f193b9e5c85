/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// The pragmas keep this file independent of which tsconfig a bundler or test runner picks up for it.
/**
 * The HTML pages behind a signed vote link: a confirmation page for GET (which
 * changes nothing) and a result page for the outcome of POST and for every
 * refusal. Server-rendered with hono/jsx, which escapes every string it
 * interpolates, so job fields an agent controls cannot inject markup.
 *
 * The route serving these should send, besides `content-type: text/html`:
 *   Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'; form-action 'self'
 *   Referrer-Policy: no-referrer      (the token is in the URL)
 *   Cache-Control: no-store           (the page is per approver and changes as votes arrive)
 *   X-Frame-Options: DENY             (no clickjacking of the vote button)
 * `default-src 'none'` blocks scripts outright, so even an escaping bug could
 * not run code; the one inline style sheet below is the only thing allowed.
 */
import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import type { JSX } from "hono/jsx/jsx-runtime";
import type { ApprovalView, ApprovalVote } from "../approvals/types";
import type { VoteClaims } from "./token";

export interface ConfirmPageProps {
  approval: ApprovalView;
  claims: VoteClaims;
  /** Where the form posts: the same `/approve/{token}` path. */
  action: string;
}

export interface ResultPageProps {
  title: string;
  message: string;
  /** Shown below the message when known, so the approver sees where things stand. */
  approval?: ApprovalView | undefined;
  /** Colours the heading; defaults to `info`. */
  tone?: "success" | "error" | "info";
}

/** A whole HTML document as a string, for `c.html(...)`. Throws on async components, which these pages never use. */
export function renderPage(node: JSX.Element): string {
  if (node instanceof Promise) throw new TypeError("renderPage expects a synchronous page");
  return `<!doctype html>${node.toString()}`;
}

/**
 * The page a signed link opens: the whole job, who votes and how, and one
 * button that posts the vote. It says plainly that nothing has happened yet,
 * because mail scanners and link previews fetch the GET too.
 */
export function ConfirmPage({ approval, claims, action }: ConfirmPageProps): JSX.Element {
  const label = claims.vote === "approve" ? "Approve" : "Reject";
  const pending = approval.status === "pending";
  return (
    <Layout title={`${label} this job?`}>
      <h1 id="title">{label} this job?</h1>
      <p class="notice">
        <strong>Nothing has been done yet.</strong> Your vote is cast only when you press the <strong>{label}</strong> button below.
      </p>
      <dl>
        <dt>Voting as</dt>
        <dd>
          <code>{claims.approver}</code>
        </dd>
        <dt>Your vote</dt>
        <dd class={claims.vote === "approve" ? "vote-approve" : "vote-reject"}>{label}</dd>
      </dl>
      <ApprovalDetails approval={approval} />
      {pending ? (
        <form method="post" action={action}>
          <button type="submit" id="confirm" class={claims.vote === "approve" ? "approve" : "reject"}>
            {label}
          </button>
        </form>
      ) : (
        // Normally the route shows the result page instead; if it does not, there
        // is still no button that could only end in a 409.
        <p class="notice">
          This approval is already <strong>{approval.status}</strong>; there is nothing left to vote on.
        </p>
      )}
    </Layout>
  );
}

/** The outcome after POST, or why a link cannot be used (expired, already used, invalid, already resolved). */
export function ResultPage({ title, message, approval, tone = "info" }: ResultPageProps): JSX.Element {
  return (
    <Layout title={title}>
      <h1 id="result" class={`tone-${tone}`}>
        {title}
      </h1>
      <p>{message}</p>
      {approval ? <ApprovalDetails approval={approval} /> : null}
    </Layout>
  );
}

function Layout({ title, children }: { title: string; children?: Child }): JSX.Element {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <meta name="referrer" content="no-referrer" />
        <title>{`${title} · Cordon`}</title>
        {/* raw: a constant, and <style> is raw text, where escaping would corrupt the quotes in it. */}
        <style>{raw(STYLE)}</style>
      </head>
      <body>
        <main>
          <p class="brand">Cordon · approval</p>
          {children}
        </main>
      </body>
    </html>
  );
}

function ApprovalDetails({ approval }: { approval: ApprovalView }): JSX.Element {
  const job = approval.job;
  const action = isRecord(job.action) ? job.action : null;
  const capability = approval.derived.capability ?? stringField(job, "capability");
  const topic = stringField(job, "topic");
  const approvals = approval.votes.filter((v) => v.vote === "approve").length;
  return (
    <section>
      <h2>Who asks</h2>
      {approval.actor ? (
        <dl>
          <dt>Actor</dt>
          <dd>
            <code>{approval.actor.id}</code>
            {approval.actor.type ? ` (${approval.actor.type})` : ""}
          </dd>
          {approval.actor.on_behalf_of ? (
            <>
              <dt>On behalf of</dt>
              <dd>
                <code>{approval.actor.on_behalf_of}</code>
              </dd>
            </>
          ) : null}
        </dl>
      ) : (
        <p>The job names no actor.</p>
      )}

      <h2>What would run</h2>
      {action ? <ActionBlock action={action} /> : null}
      <dl>
        {capability ? (
          <>
            <dt>Capability</dt>
            <dd>
              <code>{capability}</code>
            </dd>
          </>
        ) : null}
        {topic ? (
          <>
            <dt>Topic</dt>
            <dd>
              <code>{topic}</code>
            </dd>
          </>
        ) : null}
        <dt>Risk tags</dt>
        <dd>
          {approval.derived.risk_tags.length > 0 ? (
            <ul class="tags">
              {approval.derived.risk_tags.map((t) => (
                <li>{t}</li>
              ))}
            </ul>
          ) : (
            "none"
          )}
        </dd>
        {approval.derived.findings && approval.derived.findings.length > 0 ? (
          <>
            <dt>Why</dt>
            <dd>
              <ul id="findings">
                {approval.derived.findings.map((f) => (
                  <li>{f}</li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
        {approval.derived.labels && Object.keys(approval.derived.labels).length > 0 ? (
          <>
            <dt>Labels</dt>
            <dd>
              {Object.entries(approval.derived.labels)
                .map(([k, v]) => `${k}=${v}`)
                .join(", ")}
            </dd>
          </>
        ) : null}
      </dl>
      {job.input !== undefined ? (
        // Open: the approver should not have to find what the tool call carries.
        <details open>
          <summary>Input</summary>
          <pre>{prettyJson(job.input)}</pre>
        </details>
      ) : null}

      <h2>Why it needs approval</h2>
      <dl>
        <dt>Rule</dt>
        <dd>{approval.rule_id ? <code>{approval.rule_id}</code> : "default decision"}</dd>
        <dt>Reason</dt>
        <dd>{approval.reason}</dd>
      </dl>

      <h2>Approval</h2>
      <dl>
        <dt>Status</dt>
        <dd>{approval.status}</dd>
        <dt>Quorum</dt>
        <dd>
          {approvals} of {approval.quorum} approval{approval.quorum === 1 ? "" : "s"}; any rejection rejects the job
        </dd>
        <dt>Approvers</dt>
        <dd>
          <ul class="plain">
            {approval.approvers.map((a) => (
              <li>
                <code>{a}</code>
              </li>
            ))}
          </ul>
        </dd>
        <dt>Votes so far</dt>
        <dd>{approval.votes.length > 0 ? <Votes votes={approval.votes} /> : "none"}</dd>
        <dt>{approval.status === "pending" ? "Expires" : "Expiry"}</dt>
        <dd>
          <time datetime={approval.expires_at}>{approval.expires_at}</time>
        </dd>
        <dt>Job</dt>
        <dd>
          <code>{approval.job_id}</code>
        </dd>
      </dl>
      {approval.outcome ? (
        <p>
          Outcome: <strong>{approval.outcome.state}</strong> — {approval.outcome.reason}
        </p>
      ) : null}
    </section>
  );
}

/**
 * The action as sent. The command of a shell action (the common case) is shown
 * on its own so it can be read exactly; every other field, and any other kind of
 * action, is shown as JSON, since only the packs know which fields matter.
 */
function ActionBlock({ action }: { action: Record<string, unknown> }): JSX.Element {
  const kind = typeof action.kind === "string" ? action.kind : "action";
  const { kind: _kind, ...fields } = action;
  const command = typeof fields.command === "string" ? fields.command : null;
  const { command: _command, ...others } = fields;
  const rest = command === null ? fields : others;
  return (
    <div class="action">
      <p class="kind">{kind}</p>
      {command !== null ? <pre id="action">{command}</pre> : null}
      {Object.keys(rest).length > 0 ? <pre id={command === null ? "action" : "action-fields"}>{prettyJson(rest)}</pre> : null}
    </div>
  );
}

function Votes({ votes }: { votes: ApprovalVote[] }): JSX.Element {
  return (
    <ul class="plain">
      {votes.map((v) => (
        <li>
          <code>{v.approver}</code> <span class={v.vote === "approve" ? "vote-approve" : "vote-reject"}>{v.vote}</span> via {v.via} at{" "}
          <time datetime={v.at}>{v.at}</time>
          {v.note ? ` — “${v.note}”` : ""}
        </li>
      ))}
    </ul>
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringField(obj: Record<string, unknown>, key: string): string | undefined {
  const v = obj[key];
  return typeof v === "string" ? v : undefined;
}

function prettyJson(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

// Plain system fonts, one column, big tap targets; no external resources, so
// the CSP can stay at default-src 'none'.
const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111;background:#f6f6f4}
main{max-width:42rem;margin:0 auto;padding:1rem;background:#fff;min-height:100vh}
.brand{margin:0 0 .5rem;font-size:.8rem;letter-spacing:.08em;text-transform:uppercase;color:#666}
h1{font-size:1.5rem;margin:.25rem 0 1rem}
h2{font-size:1rem;margin:1.5rem 0 .5rem;padding-bottom:.25rem;border-bottom:1px solid #ddd}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}
dt{font-weight:600;color:#444}
dd{margin:0;overflow-wrap:anywhere}
pre{margin:.25rem 0;padding:.75rem;background:#111;color:#f6f6f4;border-radius:4px;white-space:pre-wrap;overflow-wrap:anywhere;font-size:.95rem}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.95em;overflow-wrap:anywhere}
.kind{margin:0;font-size:.8rem;text-transform:uppercase;color:#666}
.notice{padding:.75rem;border-left:4px solid #b45309;background:#fef3c7}
ul.tags{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem}
ul.tags li{padding:0 .5rem;border:1px solid #999;border-radius:999px;font-size:.85rem}
ul.plain{list-style:none;margin:0;padding:0}
.vote-approve{color:#166534;font-weight:600}
.vote-reject{color:#991b1b;font-weight:600}
.tone-success{color:#166534}
.tone-error{color:#991b1b}
form{margin:1.5rem 0 0}
button{width:100%;padding:1rem;font-size:1.1rem;font-weight:600;border:0;border-radius:6px;color:#fff;cursor:pointer}
button.approve{background:#166534}
button.reject{background:#991b1b}
@media (max-width:30rem){dl{grid-template-columns:1fr}dt{margin-top:.5rem}}
`;
