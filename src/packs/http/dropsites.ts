/**
 * Data-drop services: hosts whose purpose is to take data from anyone and
 * hand it to whoever holds the URL — request-capture and out-of-band testing
 * services, paste and file-drop sites, push-notification topics, tunnel
 * endpoints that reach someone's own machine, and chat incoming webhooks.
 * Sending a body there is exfiltration whatever the body is: the sender
 * chooses what goes out, and the receiver is whoever made the URL. One table,
 * used by the http pack (requests with a body) and the shell pack (curl, wget,
 * httpie with data).
 */

/** What a service does with what it receives, by the domain it lives under (the domain itself or any subdomain). */
const DROP_DOMAINS: ReadonlyMap<string, string> = new Map([
  // Request capture and out-of-band interaction testing.
  ["webhook.site", "a request-capture service that shows it to whoever holds the URL"],
  ["requestbin.com", "a request-capture service that shows it to whoever holds the URL"],
  ["requestbin.net", "a request-capture service that shows it to whoever holds the URL"],
  ["requestcatcher.com", "a request-capture service that shows it to whoever holds the URL"],
  ["requestrepo.com", "a request-capture service that shows it to whoever holds the URL"],
  ["beeceptor.com", "a request-capture service that shows it to whoever holds the URL"],
  ["hookbin.com", "a request-capture service that shows it to whoever holds the URL"],
  ["m.pipedream.net", "a request-capture service that shows it to whoever holds the URL"],
  ["interact.sh", "an out-of-band interaction server that shows it to whoever holds the URL"],
  ["oast.pro", "an out-of-band interaction server that shows it to whoever holds the URL"],
  ["oast.live", "an out-of-band interaction server that shows it to whoever holds the URL"],
  ["oast.site", "an out-of-band interaction server that shows it to whoever holds the URL"],
  ["oast.online", "an out-of-band interaction server that shows it to whoever holds the URL"],
  ["oast.fun", "an out-of-band interaction server that shows it to whoever holds the URL"],
  ["oast.me", "an out-of-band interaction server that shows it to whoever holds the URL"],
  ["oastify.com", "an out-of-band interaction server that shows it to whoever holds the URL"],
  ["burpcollaborator.net", "an out-of-band interaction server that shows it to whoever holds the URL"],
  ["dnslog.cn", "an out-of-band interaction server that shows it to whoever holds the URL"],
  // Paste and file-drop sites, push-notification topics.
  ["pastebin.com", "a paste site that publishes it to whoever holds the URL"],
  ["paste.ee", "a paste site that publishes it to whoever holds the URL"],
  ["paste.rs", "a paste site that publishes it to whoever holds the URL"],
  ["hastebin.com", "a paste site that publishes it to whoever holds the URL"],
  ["termbin.com", "a paste site that publishes it to whoever holds the URL"],
  ["ix.io", "a paste site that publishes it to whoever holds the URL"],
  ["sprunge.us", "a paste site that publishes it to whoever holds the URL"],
  ["dpaste.com", "a paste site that publishes it to whoever holds the URL"],
  ["dpaste.org", "a paste site that publishes it to whoever holds the URL"],
  ["0x0.st", "a file-drop site that publishes it to whoever holds the URL"],
  ["transfer.sh", "a file-drop site that publishes it to whoever holds the URL"],
  ["file.io", "a file-drop site that publishes it to whoever holds the URL"],
  ["ntfy.sh", "a push-notification service that hands it to whoever subscribes to the topic"],
  // Tunnel endpoints: the request reaches the machine of whoever opened the tunnel.
  ["ngrok-free.app", "a tunnel endpoint that hands it to whoever runs the tunnel"],
  ["ngrok-free.dev", "a tunnel endpoint that hands it to whoever runs the tunnel"],
  ["ngrok.io", "a tunnel endpoint that hands it to whoever runs the tunnel"],
  ["ngrok.app", "a tunnel endpoint that hands it to whoever runs the tunnel"],
  ["trycloudflare.com", "a tunnel endpoint that hands it to whoever runs the tunnel"],
  ["loca.lt", "a tunnel endpoint that hands it to whoever runs the tunnel"],
  ["serveo.net", "a tunnel endpoint that hands it to whoever runs the tunnel"],
  ["lhr.life", "a tunnel endpoint that hands it to whoever runs the tunnel"],
  ["webhook.office.com", "a chat incoming webhook that posts it to whichever channel the URL belongs to"],
]);

const CHAT_WEBHOOK = "a chat incoming webhook that posts it to whichever channel the URL belongs to";

/** The API hosts of the tunnel services: requests there manage an account, they do not reach a tunnel. */
const NOT_DROPS = new Set(["api.ngrok.com", "dashboard.ngrok.com", "ngrok.com"]);

/**
 * What the service at `host` (lower case) does with data sent to `path`, or
 * null when it is not a data-drop service. Chat services count only on their
 * incoming-webhook paths (their other APIs need a token and reach a known
 * workspace).
 */
export function dropSiteOf(host: string, path: string): string | null {
  const h = host.endsWith(".") ? host.slice(0, -1) : host;
  if (NOT_DROPS.has(h)) return null;
  const p = path.toLowerCase();
  if (h === "hooks.slack.com" && /^\/(services|workflows|triggers)\//.test(p)) return CHAT_WEBHOOK;
  if ((h === "discord.com" || h === "discordapp.com" || h.endsWith(".discord.com")) && /^\/api\/(v\d+\/)?webhooks\//.test(p))
    return CHAT_WEBHOOK;
  if (h === "outlook.office.com" && p.startsWith("/webhook")) return CHAT_WEBHOOK;
  if (h === "chat.googleapis.com" && /^\/v1\/spaces\/[^/]+\/messages/.test(p)) return CHAT_WEBHOOK;
  if (h === "api.telegram.org" && /^\/bot[^/]+\/send/.test(p))
    return "a chat bot API that posts it to whichever chat the bot token belongs to";
  // The domain itself or any parent of it, nearest first; bounded by the number of labels.
  let d = h;
  for (let i = 0; i < 8 && d.length > 0; i++) {
    const what = DROP_DOMAINS.get(d);
    if (what !== undefined) return what;
    const dot = d.indexOf(".");
    if (dot < 0) break;
    d = d.slice(dot + 1);
  }
  return null;
}

/** {@link dropSiteOf} of a URL as written (`https://host/path`, or `host/path` when `allowBare`); null when it does not parse. */
export function dropSiteOfUrl(url: string, allowBare: boolean): { host: string; what: string } | null {
  let s = url.trim();
  if (!s.includes("://")) {
    if (!allowBare) return null;
    s = `https://${s}`;
  }
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return null;
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return null;
  const host = u.hostname.toLowerCase();
  const what = dropSiteOf(host, u.pathname);
  return what === null ? null : { host, what };
}
