import type { Derived } from "../../engine/types";
import { TAGS } from "../common";
import type { Pack } from "../index";

/**
 * Credential scanner: finds API keys, tokens, private keys and passwords in
 * text so an action carrying one is tagged `secrets`, and so logs can be
 * redacted. It reports the kind of credential and where it is, never the
 * credential itself.
 *
 * Every pattern is linear-time safe (no nested or overlapping quantifiers;
 * each variable-length run has an upper bound), and at most the first
 * {@link MAX_SCAN} characters of any text are scanned, so a hostile payload
 * cannot make scanning slow. Low false positives matter as much as recall:
 * a scanner that fires on `password=changeme` in every README gets turned
 * off, so placeholders, template variables and documentation examples are
 * filtered out after a pattern matches. How hard a match is judged depends on
 * how much its pattern already says: a vendor format (distinctive prefix,
 * fixed length or checksum) is dropped only when its body is a clear dummy
 * (one repeated character, EXAMPLE, a slot to fill in, masking), because even
 * a hand-made fixture of that shape looks like a real key; a generic match (a
 * secret-named key, a header, a URL's password, a flag's value) must also not
 * be a stand-in word or an alphabet walk.
 */

/** At most this much of a text is scanned. */
export const MAX_SCAN = 64 * 1024;

/** One credential found in a text: its kind and the span of the secret part. */
export interface SecretMatch {
  kind: string;
  start: number;
  end: number;
}

interface Rule {
  kind: string;
  /** Compiled with `g` and `d`; the secret is capture group 1 when there is one, else the whole match. */
  re: RegExp;
  /** Reject matches that are placeholders or otherwise not credentials. */
  valid?: (secret: string, match: RegExpExecArray) => boolean;
  /**
   * The rule runs only when the text contains one of these (lower-cased for
   * `i` rules). Defaults to the literal the pattern starts with; most texts
   * contain none of them, which keeps a scan to a few `includes` calls.
   */
  gate?: string[];
  /**
   * A second condition every match meets (an `@` in a URL with a password, two dots seven apart in a
   * Discord token), checked once the gate is open, on the same text as the gate: most texts past the
   * gate fail it, and it costs far less than running the pattern.
   */
  also?: (text: string) => boolean;
  /**
   * A weakly structured match (a secret-named key, a header, a URL's
   * password): its value is also rejected when it is an alphabet or keyboard
   * walk. A vendor format (distinctive prefix, fixed length) is not: a walk
   * there still has the shape of a real key, so only clear dummies are dropped.
   */
  generic?: boolean;
}

/** What each kind is called in a finding. */
const DESCRIPTIONS: Record<string, string> = {
  "aws-access-key-id": "an AWS access key id",
  "aws-secret-access-key": "an AWS secret access key",
  "bedrock-api-key": "an Amazon Bedrock API key",
  "github-token": "a GitHub token",
  "gitlab-token": "a GitLab token",
  "slack-token": "a Slack token",
  "slack-webhook": "a Slack webhook URL",
  "stripe-key": "a Stripe secret key",
  "google-api-key": "a Google API key",
  "private-key": "a private key",
  jwt: "a JSON Web Token",
  "bearer-token": "a bearer token",
  "basic-auth": "HTTP basic-auth credentials",
  "url-password": "a password in a URL or connection string",
  "password-assignment": "a password or secret assignment",
  "npm-token": "an npm token",
  "openai-key": "an OpenAI API key",
  "anthropic-key": "an Anthropic API key",
  "sendgrid-key": "a SendGrid API key",
  "twilio-key": "a Twilio API key",
  "huggingface-token": "a Hugging Face token",
  "pypi-token": "a PyPI token",
  "shopify-token": "a Shopify token",
  "digitalocean-token": "a DigitalOcean token",
  "vault-token": "a HashiCorp Vault token",
  "databricks-token": "a Databricks token",
  "groq-key": "a Groq API key",
  "linear-key": "a Linear API key",
  "notion-token": "a Notion token",
  "tailscale-key": "a Tailscale key",
  "figma-token": "a Figma token",
  "grafana-token": "a Grafana token",
  "perplexity-key": "a Perplexity API key",
  "mailchimp-key": "a Mailchimp API key",
  "telegram-bot-token": "a Telegram bot token",
  "azure-storage-key": "an Azure storage account key",
  "azure-client-secret": "an Azure AD client secret",
  "azure-sas-token": "an Azure shared access signature",
  "age-secret-key": "an age secret key",
  "postman-key": "a Postman API key",
  "doppler-token": "a Doppler token",
  "1password-token": "a 1Password service account token",
  "artifactory-key": "an Artifactory API key",
  "square-token": "a Square token",
  "docker-token": "a Docker Hub token",
  "cloudflare-token": "a Cloudflare API token",
  "vercel-token": "a Vercel token",
  "sourcegraph-token": "a Sourcegraph token",
  "intra42-secret": "a 42 intra client secret",
  "facebook-token": "a Facebook access token",
  "discord-token": "a Discord bot token",
  "heroku-key": "a Heroku API key",
  "gcp-service-account": "a Google Cloud service account key",
  "authorization-header": "an Authorization header credential",
};

/** Words that mark a value as a placeholder, template or documentation example. */
const PLACEHOLDER =
  /example|sample|dummy|placeholder|changeme|change_me|redacted|fake|not[_-]?(?:a[_-]?)?real|abcdefgh|12345678|foo-?bar|your[_-]?(?:own[_-]?)?(?:token|key|secret|password|pass|api)|insert[_-]?|replace[_-]?(?:me|with)|xxxx|\*\*\*|\.\.\.|<[^>]{0,64}>|\$\{|\{\{|%\(|%s\b|^\$[A-Za-z_]|^(?:password|passwd|secret|token|pass|test|testing|null|none|nil|true|false|undefined|empty|string|value|foo|bar|baz|foobar|admin|root|user|username)$/i;

/** `mypassword`, `the_secret1`: a value that only says what it stands for. */
const STAND_IN = /^(?:my|the|some)[_-]?(?:password|passwd|pass|pwd|secret|token|key)\d{0,4}$/i;

/** The word that marks a key body (AWS and the like) as a documentation example. */
const STAND_IN_WORD = /example/i;

/**
 * A clear dummy inside a vendor-format token: the documentation word
 * `example`, a fill-in slot (`<your-key>`, `${VAR}`, `{{ x }}`), `changeme`,
 * `your_token`, masking (`xxxx`, `***`, `...`). A walk such as `aBcDeF123`
 * or a made-up word is not enough: such fixtures look like real keys.
 */
const DUMMY =
  /example|changeme|change_me|placeholder|redacted|your[_-]?(?:own[_-]?)?(?:token|key|secret|password|pass|api)|insert[_-]?(?:your|key|token|here)|replace[_-]?(?:me|with)|xxxx|\*\*\*|\.\.\.|<[^>]{0,64}>|\$\{|\{\{/i;

/** A placeholder by wording (PLACEHOLDER) or by shape (STAND_IN). */
function placeholder(s: string): boolean {
  return PLACEHOLDER.test(s) || STAND_IN.test(s);
}

/**
 * A vendor token body that is not a clear dummy: no DUMMY wording, enough
 * different characters (`123123123...` is not), no long run of one character.
 */
function realistic(s: string, minDistinct = 6): boolean {
  return !DUMMY.test(s) && distinctAtLeast(s, Math.min(minDistinct, s.length)) && longestRun(s) < 6;
}

/**
 * Whether `s` holds at least `k` distinct characters (code points), a cheap stand-in for entropy.
 * ASCII is counted in a 128-bit mask and the count stops as soon as it reaches `k`: tokens are long
 * and a Set of one-character strings per candidate was most of the scanner's time on them.
 */
export function distinctAtLeast(s: string, k: number): boolean {
  if (k <= 0) return true;
  let m0 = 0;
  let m1 = 0;
  let m2 = 0;
  let m3 = 0;
  let n = 0;
  let other: Set<number> | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 128) {
      const bit = 1 << (c & 31);
      const w = c >> 5;
      if (w === 0) {
        if (m0 & bit) continue;
        m0 |= bit;
      } else if (w === 1) {
        if (m1 & bit) continue;
        m1 |= bit;
      } else if (w === 2) {
        if (m2 & bit) continue;
        m2 |= bit;
      } else {
        if (m3 & bit) continue;
        m3 |= bit;
      }
    } else {
      // A pair of surrogates is one character, as iterating the string reads it.
      const cp = s.codePointAt(i) ?? c;
      if (cp > 0xffff) i++;
      other ??= new Set<number>();
      if (other.has(cp)) continue;
      other.add(cp);
    }
    if (++n >= k) return true;
  }
  return false;
}

/** A random-looking token body: not a placeholder, enough different characters. */
function randomish(s: string, minDistinct = 6): boolean {
  return !placeholder(s) && distinctAtLeast(s, Math.min(minDistinct, s.length)) && longestRun(s) < 6;
}

/** Length of the longest run of one repeated character (`XXXXXXXX`, `########`). */
function longestRun(s: string): number {
  let best = 0;
  let run = 0;
  let prev = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    run = c === prev ? run + 1 : 1;
    prev = c;
    if (run > best) best = run;
  }
  return best;
}

const ALNUM = /[a-z0-9]/i;

/**
 * Keyboard-walk and alphabet stand-ins (`abc123xyz`, `aBcDeF...1234567890`,
 * `AbCeFG123`): many neighbouring characters that step up by one. A random
 * token has about one such pair in 36; a stand-in has them at every turn.
 */
function sequential(s: string): boolean {
  let steps = 0;
  for (let i = 1; i < s.length; i++) {
    const a = s.charCodeAt(i - 1) | 0x20;
    const b = s.charCodeAt(i) | 0x20;
    if (b === a + 1 && ALNUM.test(s[i] as string)) steps++;
  }
  return steps >= 4 && steps >= (s.length - 1) * 0.38;
}

function b64decode(s: string): string | null {
  try {
    const norm = s.replaceAll("-", "+").replaceAll("_", "/");
    return atob(norm + "=".repeat((4 - (norm.length % 4)) % 4));
  } catch {
    return null;
  }
}

/** Whether a JWT's header (up to its first dot) decodes to a JSON object, as real tokens' do and look-alikes' do not. */
function jwtHeader(token: string): boolean {
  const header = b64decode(token.slice(0, token.indexOf(".")));
  if (header === null) return false;
  try {
    const h: unknown = JSON.parse(header);
    return typeof h === "object" && h !== null && !Array.isArray(h);
  } catch {
    return false;
  }
}

/** Names whose value is a credential; the suffixes excluded below name something about it instead. */
const SECRET_NAME =
  /(?:password|passwd|passphrase|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|auth[_-]?key|private[_-]?key|client[_-]?secret|credentials?)([A-Za-z0-9_.-]{0,30})["']?[ \t]{0,5}(?::=|=>|[:=])[ \t]{0,5}(["'`]?)([^\s"'`,;&)\]}]{1,512})/gi;
const NOT_A_SECRET_SUFFIX =
  /(?:^|[_.-])(?:type|types|length|len|name|names|id|ids|file|path|dir|url|uri|env|count|limit|size|expires?|expiry|expiration|ttl|policy|field|header|prefix|format|hint|min|max|reset|required|regex|pattern|label|endpoint|hash|algorithm|kind|mode|version|enabled|usage|provider|source|store|manager|rotation|placeholder)$/i;
const NOT_A_SECRET_BEFORE =
  /(?:max|num|total|input|output|completion|prompt|csrf|page|next|continuation|cancel|cancellation|public)[_-]?$/i;

function validAssignment(value: string, m: RegExpExecArray): boolean {
  const suffix = m[1] ?? "";
  // `api_key`, `apiKey`, `passwords` name a credential; `tokenizer`, `secretary` do not.
  if (suffix !== "" && suffix !== "s" && !/^[_.-]|^[A-Z]/.test(suffix)) return false;
  if (NOT_A_SECRET_SUFFIX.test(suffix)) return false;
  const before = m.input.slice(Math.max(0, m.index - 16), m.index);
  if (NOT_A_SECRET_BEFORE.test(before)) return false;
  // The keyword must start a name part: `db_password`, `dbPassword`, `DBPASSWORD`, not `jsonwebtoken`.
  const prev = m.input[m.index - 1];
  if (prev !== undefined && /[a-z]/.test(prev) && /[a-z]/.test(m[0][0] ?? "")) return false;
  const v = value.replace(/^["'`]|["'`]$/g, "");
  if (v.length < 6 || !randomish(v, 4)) return false;
  // Variable references, templates, code and key material handled by other rules, not literal values.
  if (/^[$%@&*{<[-]|^(?:process\.env|os\.environ|getenv|env\.|config\.|settings\.|self\.|this\.|secrets\.|vars\.)|\(/.test(v)) return false;
  if (/^\d+$/.test(v) || /^[a-z][a-z0-9+.-]{1,20}:\/\//i.test(v) || /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(v)) return false;
  // A value that repeats the key's own name (`apikey = myapikey123`) is a stand-in.
  const name = m[0]
    .slice(0, m[0].length - value.length)
    .replace(/[^A-Za-z]/g, "")
    .toLowerCase();
  if (
    name.length >= 3 &&
    !/pass|pwd/.test(name) &&
    v
      .toLowerCase()
      .replace(/[^a-z]/g, "")
      .includes(name.slice(0, Math.min(name.length, 6)))
  )
    return false;
  // `cmp2-qat-1208358310`, `my-app-prod-42`: a hyphenated lower-case resource name, unless the key
  // names a password (a passphrase looks the same). A UUID (hex only) stays a credential.
  if (!/pass|pwd/.test(name) && /^[a-z0-9]{1,16}(?:-[a-z0-9]{1,16}){2,6}$/.test(v) && /[g-z]/.test(v)) return false;
  // Lower-case words with hyphens are more likely identifiers than passwords.
  const hasDigitOrUpper = /[\dA-Z]/.test(v);
  return (hasDigitOrUpper && /[a-z\W_]/.test(v)) || (v.length >= 20 && distinctAtLeast(v, 10));
}

/** A flag's value that is a literal credential: not a variable, a path, a command substitution or a stand-in. */
function flagValue(v: string): boolean {
  // `$TOKEN`, `./token.txt`, `https://...`, `env:API_KEY`, `file:/run/secrets/x`: where the credential is, not it.
  if (/^[$%@&*{<[(-]|^(?:\.{0,2}\/|~\/)|^[a-z][a-z0-9+.-]{1,20}:/i.test(v)) return false;
  if (placeholder(v) || !randomish(v, 4)) return false;
  return /[\dA-Z]/.test(v) && /[a-z\W_]/.test(v);
}

/** `scheme://user:password@host`: the password is group 1. */
const URL_PASSWORD =
  /\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|oracle|cockroachdb|clickhouse|https?|ftps?|sftp|smtps?|ldaps?|ssh|git):\/\/([^\s:@/'"<>{}$]{0,128}):([^\s@/'"<>{}]{1,256})@[^\s@/'"<>]/gi;

/** Whether some `|` follows a digit, as in a Facebook app token (`<app id>|<secret>`). */
function digitBeforePipe(text: string): boolean {
  for (let i = text.indexOf("|", 1); i !== -1; i = text.indexOf("|", i + 1)) {
    const c = text.charCodeAt(i - 1);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}

/**
 * Whether two dots are seven apart (`.abcdef.`) with room for a Discord token around them: its first dot
 * comes 24 or more characters into it, and 27 or more follow its second.
 */
function discordDots(text: string): boolean {
  for (let i = text.indexOf(".", 24); i !== -1 && i + 35 <= text.length; i = text.indexOf(".", i + 1))
    if (text.charCodeAt(i + 7) === 46) return true;
  return false;
}

const RAW_RULES: Rule[] = [
  {
    kind: "private-key",
    re: /-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----/dg,
    // The span and the placeholder check are done in scanSecrets (the block runs to its END line).
  },
  {
    kind: "aws-access-key-id",
    gate: ["AKIA", "ASIA", "ABIA", "ACCA", "A3T"],
    re: /\b((?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16})\b/dg,
    // A random body does not spell a word; one that spells EXAMPLE or SECRET was written by hand.
    valid: (s) => !STAND_IN_WORD.test(s),
  },
  {
    kind: "aws-secret-access-key",
    gate: ["secret"],
    also: (l) => l.includes("key"),
    re: /(?:aws[_-]?)?secret[_-]?(?:access[_-]?)?key["']?[ \t]{0,5}[:=][ \t]{0,5}["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/dgi,
    generic: true,
    valid: (s) => !STAND_IN_WORD.test(s) && randomish(s, 12),
  },
  { kind: "github-token", re: /\b(gh[pousr]_[A-Za-z0-9]{36,251})\b/dg, valid: (s) => realistic(s.slice(4)) },
  {
    // Newer GitHub App installation tokens: `ghs_<app id>_<JWT>`.
    kind: "github-token",
    gate: ["ghs_"],
    re: /\b(ghs_\d{1,20}_eyJ[A-Za-z0-9_-]{8,4096}\.eyJ[A-Za-z0-9_-]{2,8192}\.[A-Za-z0-9_-]{16,4096})/dg,
    valid: (s) => jwtHeader(s.slice(s.indexOf("_eyJ") + 1)),
  },
  {
    // Amazon Bedrock API keys: long-lived `ABSK` + base64, short-lived `bedrock-api-key-` + base64 of the endpoint.
    kind: "bedrock-api-key",
    gate: ["ABSK", "bedrock-api-key-"],
    re: /\b(ABSK[A-Za-z0-9+/]{109,269}={0,2}|bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t[A-Za-z0-9+/]{40,2000}={0,2})/dg,
    valid: (s) => !/EXAMPLE/i.test(s) && realistic(s.slice(s.length - 40), 12),
  },
  { kind: "github-token", re: /\b(github_pat_[A-Za-z0-9_]{22,244})\b/dg, valid: (s) => realistic(s.slice(11)) },
  {
    kind: "gitlab-token",
    // Runner registration tokens start `GR1348941`, not `gl`: the default gate (the leading literal) would skip them.
    gate: ["gl", "GR1348941"],
    // 20 characters (up to 50 allowed); a routable token is longer and ends `.<version><crc>`.
    re: /\b(gl(?:pat|dt|rt|ft|cbt|soat|ffct)-(?:[A-Za-z0-9_-]{20,50}(?![A-Za-z0-9_.-])|[A-Za-z0-9_-]{27,300}\.[0-9a-z]{9}(?![A-Za-z0-9_-]))|GR1348941[A-Za-z0-9_-]{20,50}(?![A-Za-z0-9_-]))/dg,
    valid: (s) => realistic(s.slice(s.startsWith("GR") ? 9 : s.indexOf("-") + 1)),
  },
  {
    // Fixed-length GitLab kinds: trigger (40), incoming mail (25), OAuth application secret (64); agent tokens are at least 50.
    kind: "gitlab-token",
    gate: ["glptt-", "glimt-", "gloas-", "glagent-"],
    re: /\b(glptt-[A-Za-z0-9_-]{40}|glimt-[A-Za-z0-9_-]{25}|gloas-[A-Za-z0-9_-]{64}|glagent-[A-Za-z0-9_-]{50,1024})(?![A-Za-z0-9_-])/dg,
    valid: (s) => realistic(s.slice(s.indexOf("-") + 1)),
  },
  { kind: "slack-token", re: /\b(xox[abposer]-\d{8,16}-[0-9A-Za-z-]{8,250})/dg, valid: (s) => !s.endsWith("-") && realistic(s.slice(5)) },
  {
    // App configuration access (`xoxe.xoxp-1-`) and refresh (`xoxe-1-`) tokens.
    kind: "slack-token",
    gate: ["xoxe"],
    re: /\b(xoxe\.xox[bp]-\d-[A-Za-z0-9]{160,170}|xoxe-\d-[A-Za-z0-9]{140,150})(?![A-Za-z0-9])/dg,
    valid: (s) => realistic(s.slice(s.length - 60), 12),
  },
  { kind: "slack-token", re: /\b(xapp-\d-[A-Z0-9]{6,20}-\d{6,20}-[a-z0-9]{20,100})\b/dg },
  {
    kind: "slack-webhook",
    re: /hooks\.slack\.com\/(?:services|workflows|triggers)\/([A-Za-z0-9_/+-]{20,200})/dg,
    valid: (s) => realistic(s),
  },
  {
    // Secret and restricted keys, live or test mode (a test key still opens the account's test data); `pk_` keys are public.
    kind: "stripe-key",
    gate: ["_live_", "_test_", "_prod_"],
    re: /\b((?:sk|rk)_(?:live|test|prod)_[0-9A-Za-z]{20,247})\b/dg,
    valid: (s) => realistic(s.slice(8)),
  },
  { kind: "google-api-key", re: /\b(AIza[0-9A-Za-z_-]{35})(?![0-9A-Za-z_-])/dg, valid: (s) => realistic(s.slice(4)) },
  {
    kind: "jwt",
    re: /\b(eyJ[A-Za-z0-9_-]{8,4096}\.eyJ[A-Za-z0-9_-]{2,8192}(?:\.[A-Za-z0-9_-]{0,4096})?)/dg,
    // The header must decode to a JSON object, which real tokens do and look-alikes do not.
    valid: (s) => jwtHeader(s),
  },
  {
    kind: "bearer-token",
    gate: ["bearer ", "bearer\t", "token ", "token\t"],
    re: /\b(?:bearer|token)[ \t]{1,5}([A-Za-z0-9._~+/-]{20,4096}=*)/dgi,
    generic: true,
    valid: (s, m) =>
      /^bearer/i.test(m[0]) || /authorization["']?[ \t]{0,5}[:=][ \t]{0,5}["']?$/i.test(m.input.slice(Math.max(0, m.index - 40), m.index))
        ? randomish(s, 10) && !/^[a-z]+$/i.test(s)
        : false,
  },
  {
    kind: "basic-auth",
    re: /\bbasic[ \t]{1,5}([A-Za-z0-9+/]{8,4096}={0,2})(?![A-Za-z0-9+/=])/dgi,
    generic: true,
    valid: (s, m) => {
      const d = b64decode(s);
      if (d === null || !d.includes(":")) return false;
      const user = d.slice(0, d.indexOf(":"));
      const pass = d.slice(d.indexOf(":") + 1);
      if (pass.length >= 3 && !placeholder(pass)) return true;
      if (pass !== "" || placeholder(user) || /[<>{}$]/.test(user)) return false;
      // An API key or client id is often sent as the user name with an empty password: in an
      // Authorization header that is the credential itself; in free text it must look random.
      const header = /authorization["']?[ \t]{0,5}[:=][ \t]{0,5}["']?$/i.test(m.input.slice(Math.max(0, m.index - 40), m.index));
      return header ? user.length >= 3 : user.length >= 12 && randomish(user, 8);
    },
  },
  {
    kind: "url-password",
    gate: ["://"],
    also: (l) => l.includes("@"),
    re: URL_PASSWORD,
    generic: true,
    // `mongodb://mongodb:mongodb@`, `user:abc@`, `user:1111@`: defaults and stand-ins, not credentials.
    valid: (s, m) => s.length >= 4 && distinctAtLeast(s, 3) && s !== m[1] && !placeholder(s) && !/^(?:pass|pwd|secret|\*+|x+)$/i.test(s),
  },
  { kind: "npm-token", re: /\b(npm_[A-Za-z0-9]{36})\b/dg, valid: (s) => realistic(s.slice(4)) },
  {
    kind: "npm-token",
    gate: [":_"],
    re: /\/\/[A-Za-z0-9.-]{1,253}(?::\d{1,5})?\/[^\s:]{0,200}:_(?:authToken|auth|password)[ \t]{0,5}=[ \t]{0,5}([^\s]{8,512})/dg,
    generic: true,
    valid: (s) => !placeholder(s) && !/^\$/.test(s),
  },
  {
    kind: "anthropic-key",
    re: /\b(sk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{93}AA)(?![A-Za-z0-9_-])/dg,
    valid: (s) => realistic(s.slice(14)),
  },
  {
    kind: "openai-key",
    re: /\b(sk-(?!ant-)(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,250}T3BlbkFJ[A-Za-z0-9_-]{20,250})/dg,
  },
  { kind: "sendgrid-key", re: /\b(SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/dg },
  { kind: "twilio-key", re: /\b(SK[0-9a-f]{32})\b/dg, valid: (s) => realistic(s.slice(2)) },
  { kind: "huggingface-token", re: /\b(hf_[A-Za-z]{34})\b/dg, valid: (s) => realistic(s.slice(3)) },
  { kind: "huggingface-token", re: /\b(api_org_[A-Za-z]{34})\b/dg, valid: (s) => realistic(s.slice(8)) },
  { kind: "pypi-token", re: /\b(pypi-AgE[A-Za-z0-9_-]{82,400})/dg },
  { kind: "shopify-token", re: /\b(shp(?:at|ca|pa|ss)_[A-Za-z0-9]{32})\b/dg, valid: (s) => realistic(s.slice(6)) },
  { kind: "digitalocean-token", gate: ["_v1_"], re: /\b(do[opr]_v1_[a-f0-9]{64})\b/dg },
  // Vault service, batch and recovery tokens.
  { kind: "vault-token", re: /\b(hv[sbr]\.[A-Za-z0-9_-]{24,200})/dg, valid: (s) => realistic(s.slice(4)) },
  { kind: "databricks-token", re: /\b(dapi[a-fA-F0-9]{32}(?:-\d)?)\b/dg, valid: (s) => realistic(s.slice(4)) },
  { kind: "groq-key", re: /\b(gsk_[A-Za-z0-9]{52})\b/dg },
  { kind: "linear-key", re: /\b(lin_api_[A-Za-z0-9]{40})\b/dg },
  { kind: "notion-token", re: /\b(ntn_\d{11}[A-Za-z0-9]{35})\b/dg },
  {
    // Not glued to a preceding letter (`MY_tskey-...` is a key, `xtskey-...` is not).
    kind: "tailscale-key",
    gate: ["tskey-"],
    re: /(?:^|[^A-Za-z])(tskey-[a-z]{3,10}-[A-Za-z0-9]{6,40}-[A-Za-z0-9]{10,100})\b/dg,
    valid: (s) => realistic(s.slice(s.lastIndexOf("-") + 1)),
  },
  { kind: "figma-token", re: /\b(figd_[A-Za-z0-9_-]{40,100})/dg },
  { kind: "grafana-token", re: /\b(glc_[A-Za-z0-9+/]{32,400}={0,2})/dg, valid: (s) => realistic(s.slice(4)) },
  { kind: "grafana-token", re: /\b(glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})\b/dg },
  { kind: "perplexity-key", re: /\b(pplx-[A-Za-z0-9]{48})\b/dg },
  { kind: "mailchimp-key", gate: ["-us"], re: /\b([0-9a-f]{32}-us\d{1,2})\b/dg, valid: (s) => realistic(s) },
  {
    // Also as used in Bot API URLs: `api.telegram.org/bot<token>/sendMessage`.
    kind: "telegram-bot-token",
    gate: [":AA"],
    re: /(?:\bbot|\b)(\d{8,10}:AA[A-Za-z0-9_-]{33})(?![A-Za-z0-9_-])/dg,
  },
  { kind: "azure-storage-key", re: /AccountKey=([A-Za-z0-9+/]{86}==)/dg },
  {
    // The signature of an Azure shared access signature (SAS) URL: with it the URL alone grants access.
    kind: "azure-sas-token",
    gate: ["sig="],
    re: /[?&]sig=([A-Za-z0-9%+/]{30,200})/dg,
    valid: (s, m) => {
      const query = m.input.slice(Math.max(0, m.index - 400), m.index + m[0].length + 400);
      return /[?&]sv=\d{4}-\d{2}-\d{2}/.test(query) && /[?&](?:se|sp|spr|srt|sr)=/.test(query) && realistic(s, 12);
    },
  },
  {
    kind: "azure-client-secret",
    gate: ["Q~"],
    re: /(?:^|[^A-Za-z0-9_~.-])([A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34})(?![A-Za-z0-9_~.-])/dg,
  },
  { kind: "age-secret-key", re: /\b(AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})\b/dg },
  { kind: "docker-token", re: /\b(dckr_pat_[A-Za-z0-9_-]{27,60})/dg, valid: (s) => realistic(s.slice(9)) },
  { kind: "vercel-token", re: /\b(vc[pirka]_[A-Za-z0-9]{24,80})\b/dg, valid: (s) => realistic(s.slice(4)) },
  { kind: "sourcegraph-token", re: /\b(sgp_(?:local_|[a-fA-F0-9]{16}_)?[a-fA-F0-9]{40})\b/dg, valid: (s) => realistic(s.slice(4)) },
  {
    // Legacy Sourcegraph tokens are 40 hex characters with no prefix: only under a name that says Sourcegraph.
    kind: "sourcegraph-token",
    gate: ["sourcegraph"],
    re: /\bsourcegraph[A-Za-z0-9_.-]{0,30}["']?[ \t]{0,5}(?::=|=>|[:=])[ \t]{0,5}["']?([a-fA-F0-9]{40})(?![A-Za-z0-9])/dgi,
    valid: (s) => realistic(s, 10),
  },
  { kind: "intra42-secret", re: /\b(s-s4t2(?:ud|af)-[a-f0-9]{64})\b/dg },
  { kind: "facebook-token", re: /\b(EAA[A-Za-z0-9]{100,400})\b/dg, valid: (s) => realistic(s.slice(3), 16) },
  {
    kind: "facebook-token",
    gate: ["|"],
    also: digitBeforePipe,
    re: /\b(\d{15,16}\|[A-Za-z0-9_-]{27})(?![A-Za-z0-9_-])/dg,
    valid: (s) => realistic(s.slice(17)),
  },
  {
    kind: "discord-token",
    also: discordDots,
    re: /\b([MNO][A-Za-z0-9_-]{23,25}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,38})(?![A-Za-z0-9_-])/dg,
    valid: (s) => realistic(s.slice(0, 24)),
  },
  {
    kind: "basic-auth",
    gate: ["-u ", "-u\t", "--user ", "--user\t"],
    // curl -u user:password / --user user:password
    re: /(?:^|\s)(?:-u|--user)[ \t]{1,5}["']?([^\s"':]{0,128}["']?:["']?[^\s"']{0,256})/dg,
    generic: true,
    valid: (s) => {
      // `<user:password>`, `neo4j:[PASSWORD]`: a bracketed part is a slot to fill in.
      if (/[<>[\]]/.test(s)) return false;
      const [user = "", pass = ""] = s.replace(/["'{}]/g, "").split(/:(.*)/s);
      // `docker run --user 1000:1000`: a numeric uid:gid, not a name and password.
      if (/^\d+$/.test(user) && /^\d+$/.test(pass)) return false;
      // An API key is often passed as the user name with an empty password.
      return (pass.length >= 4 && !placeholder(pass) && !/^\$/.test(pass)) || (pass === "" && user.length >= 12 && randomish(user, 8));
    },
  },
  {
    kind: "authorization-header",
    re: /\bauthorization["']?[ \t]{0,5}[:=][ \t]{0,5}["']?(?!basic[ \t])(?:[A-Za-z][A-Za-z-]{1,19}[ \t]{1,5})?([^\s"']{12,4096})/dgi,
    generic: true,
    valid: (s) => randomish(s, 8) && !/^[$%{<]/.test(s),
  },
  {
    // Cloudflare account/user API tokens and global API keys: `cfat_`/`cfut_`/`cfk_`, 40 characters and an 8-hex checksum.
    kind: "cloudflare-token",
    gate: ["cfat_", "cfut_", "cfk_"],
    re: /\b(cf(?:at|ut|k)_[A-Za-z0-9]{40}[a-f0-9]{8})\b/dg,
    valid: (s) => realistic(s.slice(s.indexOf("_") + 1), 12),
  },
  { kind: "postman-key", re: /\b(PMAK-[a-f0-9]{24}-[a-f0-9]{34})\b/dg },
  { kind: "doppler-token", re: /\b(dp\.pt\.[A-Za-z0-9]{43})\b/dg },
  { kind: "1password-token", re: /\b(ops_eyJ[A-Za-z0-9+/]{250,4096}={0,3})/dg },
  { kind: "artifactory-key", re: /\b(AKCp[A-Za-z0-9]{69})\b/dg, valid: (s) => realistic(s.slice(4)) },
  // Artifactory reference (access) tokens: base64 of `reftkn:01:...`.
  { kind: "artifactory-key", re: /\b(cmVmdGtuOj[A-Za-z0-9]{54})\b/dg, valid: (s) => realistic(s.slice(10), 12) },
  {
    // The marker of a Google Cloud service account key file (its private key is caught as a PEM block too).
    kind: "gcp-service-account",
    gate: ["service_account"],
    re: /"type"[ \t]{0,5}:[ \t]{0,5}"(service_account)"/dg,
    // With its `private_key` present the PEM rule judges the key (a template's `...` key is no credential);
    // without it (a truncated file) the marker is what is left, unless the fields around it are fill-in slots.
    valid: (_s, m) => {
      const rest = m.input.slice(m.index, m.index + 4096);
      const close = rest.indexOf("}");
      const object = close === -1 ? rest : rest.slice(0, close);
      return !object.includes('"private_key"') && !DUMMY.test(object) && !/"your[_-]/i.test(object);
    },
  },
  {
    kind: "square-token",
    gate: ["EAAA", "sq0"],
    re: /\b((?:EAAA|sq0atp-|sq0csp-)[A-Za-z0-9_-]{22,60})\b/dg,
    valid: (s) => realistic(s.slice(4)),
  },
  {
    // `--password Hx7!vQ2p`, `--api-key ...`, `--token ...`: a credential passed as a command-line flag's value.
    kind: "password-assignment",
    // Every flag name the pattern takes holds one of these words.
    gate: ["pass", "token", "secret", "apikey", "api-key", "access-key"],
    also: (l) => l.includes("--"),
    re: /(?:^|\s)--(?:[a-z0-9]{1,20}-)?(?:password|passwd|passphrase|token|secret|api-?key|client-secret|access-key|secret-key|auth-token|access-token)[ \t]{1,5}["']?([^\s"'`;&|)]{6,512})/dgi,
    generic: true,
    valid: (v) => flagValue(v),
  },
  {
    // `sshpass -p <password>`, `mysql -u root -p<password>`, `docker login -p <password>`: the password
    // flags of tools that take one inline (elsewhere `-p` is a port, a parent directory, a publish; mysql's `-P` is its port).
    kind: "password-assignment",
    gate: ["sshpass", "mysql", "mariadb", "login"],
    also: (t) => t.includes("-p"),
    re: /\b(?:sshpass[ \t]{1,5}-p[ \t]{0,5}|(?:mysql|mysqldump|mysqladmin|mariadb)[ \t][^\n|;&]{0,200}?[ \t]-p|(?:docker|podman|nerdctl|buildah)[ \t]{1,5}login[ \t][^\n|;&]{0,200}?[ \t]-p[ \t]{1,5})["']?([^\s"'`;&|)]{4,256})/dg,
    generic: true,
    valid: (v) => flagValue(v),
  },
  { kind: "heroku-key", re: /\b(HRKU-AA[A-Za-z0-9_-]{58})(?![A-Za-z0-9_-])/dg, valid: (s) => realistic(s.slice(7)) },
  {
    kind: "password-assignment",
    gate: ["pass", "pwd", "secret", "token", "key", "credential"],
    re: SECRET_NAME,
    generic: true,
    valid: (v, m) => validAssignment(v, m),
  },
];

/** The literal a pattern starts with (`gh` of `\b(gh[pousr]_...`), or null when it starts with a class or group. */
export function leadingLiteral(source: string): string | null {
  let src = source.replace(/^\\b/, "").replace(/^\((?!\?)/, "");
  let out = "";
  while (src.length > 0) {
    const c = src[0] as string;
    if (c === "\\" && /^\\[./=:-]/.test(src)) {
      out += src[1];
      src = src.slice(2);
    } else if (/[A-Za-z0-9_=:-]/.test(c)) {
      out += c;
      src = src.slice(1);
    } else break;
  }
  // A literal followed by `?`, `*` or `{0,` is optional from its last character on.
  if (/^(?:\?|\*|\{0,)/.test(src)) out = out.slice(0, -1);
  return out.length >= 2 ? out : null;
}

/** Every rule with the `d` flag (capture-group offsets) and its gate. */
interface CompiledRule {
  kind: string;
  re: RegExp;
  valid?: Rule["valid"];
  also?: Rule["also"];
  gate: string[] | null;
  /** For each gate, the keys of its two-character pairs (see {@link pairKey}); [] for a one-character gate. */
  gatePairs: number[][] | null;
  generic: boolean;
  caseless: boolean;
}

/** A two-character pair's slot: both character codes, anything past ASCII folded into 127. */
function pairKey(a: number, b: number): number {
  return (Math.min(a, 127) << 7) | Math.min(b, 127);
}

function pairsOf(g: string): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < g.length; i++) out.push(pairKey(g.charCodeAt(i), g.charCodeAt(i + 1)));
  return out;
}

const RULES: readonly CompiledRule[] = RAW_RULES.map((r) => {
  const re = r.re.flags.includes("d") ? r.re : new RegExp(r.re.source, `${r.re.flags}d`);
  const lit = leadingLiteral(r.re.source);
  const gate = r.gate ?? (lit ? [lit] : null);
  // `flags` is a getter that builds a string: read it once here, not per scan.
  const caseless = re.flags.includes("i");
  const compiled: CompiledRule = {
    kind: r.kind,
    re,
    caseless,
    generic: r.generic === true,
    gate: gate && caseless ? gate.map((g) => g.toLowerCase()) : gate,
    gatePairs: null,
    // Set on every rule, if only to undefined: one object shape for all rules keeps their reads in scanSecrets fast.
    valid: r.valid,
    also: r.also,
  };
  compiled.gatePairs = compiled.gate ? compiled.gate.map(pairsOf) : null;
  return compiled;
});

/**
 * The rules' gates laid out flat, in rule order, for the scan's pass over them: every gate's first pair key,
 * its other keys, its rule and its text, in a few typed arrays. Most gates are closed on any one text, on
 * their first pair, and reading them from a few contiguous kilobytes, not from each rule's own objects and
 * nested arrays, keeps a request that has just run other code from waiting on memory for every rule.
 */
interface GateTable {
  /** Per gate, its first pair's key in {@link PAIRS} (in the lower-cased half for an `i` rule), or ALWAYS. */
  first: Int32Array;
  /** Per gate, the offset of its other pair keys in `rest`; gate g's are [restFrom[g], restFrom[g + 1]). */
  restFrom: Int32Array;
  rest: Int32Array;
  /** Per gate, its rule. */
  rule: Int32Array;
  /** Per gate, 1 when its rule is case-insensitive: it is searched for in the lower-cased text. */
  caseless: Uint8Array;
  text: string[];
  /** Per rule, the index past its last gate (a rule with an empty gate list has none, and never runs). */
  ruleEnd: Int32Array;
}

/** The key of a bit of {@link PAIRS} that is always set: the first pair of a gate with none. */
const ALWAYS = 1 << 15;

function gateTable(rules: readonly CompiledRule[]): GateTable {
  const first: number[] = [];
  const restFrom = [0];
  const rest: number[] = [];
  const rule: number[] = [];
  const caseless: number[] = [];
  const text: string[] = [];
  const ruleEnd: number[] = [];
  for (const [ri, r] of rules.entries()) {
    // The pairs of the lower-cased text are the second half of the table.
    const half = r.caseless ? 1 << 14 : 0;
    // A rule without a gate runs on every text: its one gate, the empty string, is always open.
    for (const [k, g] of (r.gate ?? [""]).entries()) {
      const keys = (r.gatePairs?.[k] ?? []).map((key) => key + half);
      first.push(keys[0] ?? ALWAYS);
      rest.push(...keys.slice(1));
      restFrom.push(rest.length);
      rule.push(ri);
      caseless.push(r.caseless ? 1 : 0);
      text.push(g);
    }
    ruleEnd.push(text.length);
  }
  return {
    first: Int32Array.from(first),
    restFrom: Int32Array.from(restFrom),
    rest: Int32Array.from(rest),
    rule: Int32Array.from(rule),
    caseless: Uint8Array.from(caseless),
    text,
    ruleEnd: Int32Array.from(ruleEnd),
  };
}

const GATES = gateTable(RULES);
if (RULES[0]?.kind !== "private-key" || RULES[0].caseless || RULES.slice(1).some((r) => r.kind === "private-key"))
  throw new Error(
    "secrets: the private-key rule must come first, case-sensitive, and only there (scanSecrets runs it apart and masks key blocks after it)",
  );

/**
 * Which two-character pairs a text holds, for the gates: a gate can only occur where every pair of its
 * characters does, so most gates are ruled out by a few array reads instead of a substring search. One
 * set for the text as written and one for it lower-cased (the gates of case-insensitive rules), the two
 * halves of one array, then a word of set bits (ALWAYS). Each is a bitset of the 16,384 pair keys, 2 KiB,
 * cleared at the start of each scan: small enough to stay in the nearest cache whatever ran before, where
 * a slot per pair (64 KiB a table) was read and written at scattered places, each a likely cache miss on
 * a request that had just done other work.
 */
const PAIRS = new Uint32Array((1 << 10) + 1);
const PAIRS_EXACT = PAIRS.subarray(0, 1 << 9);
const PAIRS_LOWER = PAIRS.subarray(1 << 9, 1 << 10);
PAIRS[ALWAYS >>> 5] = 0xffffffff;

function markPairs(table: Uint32Array, s: string): void {
  table.fill(0);
  let prev = Math.min(s.charCodeAt(0), 127);
  for (let i = 1; i < s.length; i++) {
    const c = Math.min(s.charCodeAt(i), 127);
    const k = (prev << 7) | c;
    table[k >>> 5] = (table[k >>> 5] as number) | (1 << (k & 31));
    prev = c;
  }
}

/** Marks one pair in both tables: as written (`a`, `b`) and lower-cased (`la`, `lb`). */
function markPair(a: number, b: number, la: number, lb: number): void {
  const k = (a << 7) | b;
  PAIRS_EXACT[k >>> 5] = (PAIRS_EXACT[k >>> 5] as number) | (1 << (k & 31));
  const kl = (la << 7) | lb;
  PAIRS_LOWER[kl >>> 5] = (PAIRS_LOWER[kl >>> 5] as number) | (1 << (kl & 31));
}

/**
 * The pairs of `s` with the spans `blanks` (sorted) blanked, as {@link maskSpans} writes it, into PAIRS_EXACT,
 * and those of that text lower-cased into PAIRS_LOWER, in one pass: on ASCII, toLowerCase only turns `A-Z` into
 * `a-z`. The blanked spans are key blocks, kilobytes long: they are not read, only their pairs of blanks are
 * marked. Returns false when the text holds a character past ASCII, whose lower case (and length) toLowerCase
 * decides: PAIRS_LOWER is then to be marked from the lower-cased text instead.
 */
function markBlankedPairs(s: string, blanks: readonly SecretMatch[]): boolean {
  PAIRS_EXACT.fill(0);
  PAIRS_LOWER.fill(0);
  let ascii = true;
  let prev = 0;
  let prevLower = 0;
  let b = 0;
  let blankAt = blanks.length > 0 ? (blanks[0] as SecretMatch).start : -1;
  for (let i = 0; i < s.length; i++) {
    if (i === blankAt) {
      const end = (blanks[b] as SecretMatch).end;
      if (i > 0) markPair(prev, 32, prevLower, 32);
      if (end - i >= 2) markPair(32, 32, 32, 32);
      prev = 32;
      prevLower = 32;
      i = end - 1;
      // As in maskSpans, a span starting inside the one just blanked is passed over.
      while (b < blanks.length && (blanks[b] as SecretMatch).start < end) b++;
      blankAt = b < blanks.length ? (blanks[b] as SecretMatch).start : -1;
      continue;
    }
    const code = s.charCodeAt(i);
    if (code > 127) ascii = false;
    const c = Math.min(code, 127);
    const lc = c >= 65 && c <= 90 ? c + 32 : c;
    if (i > 0) markPair(prev, c, prevLower, lc);
    prev = c;
    prevLower = lc;
  }
  return ascii;
}

/** Whether gate `g` is in the text (`lower` when its rule is case-insensitive): its pairs first, then the gate itself. */
function gateOpen(g: number, text: string, lower: string): boolean {
  const { first, restFrom, rest, caseless } = GATES;
  const p0 = first[g] as number;
  if ((((PAIRS[p0 >>> 5] as number) >>> (p0 & 31)) & 1) === 0) return false;
  for (let j = restFrom[g] as number, last = restFrom[g + 1] as number; j < last; j++) {
    const p = rest[j] as number;
    if ((((PAIRS[p >>> 5] as number) >>> (p & 31)) & 1) === 0) return false;
  }
  return (caseless[g] === 1 ? lower : text).includes(GATES.text[g] as string);
}

/** A PEM header line inside a key block (`Proc-Type: 4,ENCRYPTED`), read from a line start. */
const PEM_HEADER_LINE = /[ \t]*[A-Za-z-]{1,40}:[^\n\\]{0,200}/y;

/** The patterns, for the regex-safety test. */
export const SECRET_PATTERNS: readonly RegExp[] = [
  ...RULES.map((r) => r.re),
  PLACEHOLDER,
  STAND_IN,
  STAND_IN_WORD,
  SECRET_NAME,
  NOT_A_SECRET_SUFFIX,
  DUMMY,
  PEM_HEADER_LINE,
];

/** Beyond this many private-key headers in one text, blocks are reported without checking their bodies. */
const MAX_KEY_HEADERS = 32;

/**
 * For a private key header ending at `headerEnd`, the end of its block, or
 * null when the body is a placeholder (`...`, `xxx`, a short stand-in).
 * `endAt` caches the next `-----END` position so many headers cost one search.
 */
function privateKeyEnd(text: string, headerEnd: number, endAt: { pos: number }, check: boolean): number | null {
  if (endAt.pos !== -1 && endAt.pos < headerEnd) endAt.pos = text.indexOf("-----END", headerEnd);
  const endMarker = endAt.pos;
  let end: number;
  if (endMarker === -1) end = text.length;
  else {
    const close = text.indexOf("-----", endMarker + 8);
    end = close === -1 ? text.length : close + 5;
  }
  if (!check) return end;
  const body = text.slice(headerEnd, Math.min(endMarker === -1 ? text.length : endMarker, headerEnd + 4096));
  return keyMaterial(body) ? end : null;
}

/**
 * Whether {@link PEM_HEADER_LINE} matches at `i`: blanks, then 1 to 40 letters or hyphens, then a colon (what
 * follows it may be empty). A line of base64 fails within a few characters; the pattern is run only to find
 * where a header line ends.
 */
function headerLineAt(body: string, i: number): boolean {
  let j = i;
  while (body.charCodeAt(j) === 32 || body.charCodeAt(j) === 9) j++;
  const name = j;
  while (j - name <= 40) {
    const c = body.charCodeAt(j);
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45)) break;
    j++;
  }
  return j > name && j - name <= 40 && body.charCodeAt(j) === 58;
}

/**
 * Whether a key block's body is key material: at least 64 base64 characters,
 * at least 90% of what is not white space, and 16 or more different ones.
 * Header lines and escaped newlines from JSON (`\n`) do not count. One pass,
 * no intermediate strings: key blocks are kilobytes long.
 */
function keyMaterial(body: string): boolean {
  let b64 = 0;
  let other = 0;
  let kinds = 0;
  const seen = new Uint8Array(128);
  let lineStart = true;
  for (let i = 0; i < body.length; i++) {
    if (lineStart) {
      lineStart = false;
      PEM_HEADER_LINE.lastIndex = i;
      if (headerLineAt(body, i) && PEM_HEADER_LINE.test(body)) {
        i = PEM_HEADER_LINE.lastIndex - 1;
        continue;
      }
    }
    const c = body.charCodeAt(i);
    if (c === 10 || c === 13) lineStart = true;
    else if (c === 92 && (body[i + 1] === "n" || body[i + 1] === "r")) {
      i++;
      lineStart = true;
    } else if (c === 32 || c === 9) continue;
    else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47 || c === 61) {
      b64++;
      if (seen[c] === 0) {
        seen[c] = 1;
        kinds++;
      }
    } else other++;
  }
  return b64 >= 64 && b64 >= (b64 + other) * 0.9 && kinds >= 16;
}

/** Whether [start, end) lies inside a span already found: a generic rule need not judge a vendor token again. */
function covered(found: readonly SecretMatch[], start: number, end: number): boolean {
  for (const f of found) if (f.start <= start && end <= f.end) return true;
  return false;
}

/** `text` with every span blanked to spaces (offsets unchanged). */
function maskSpans(text: string, spans: readonly SecretMatch[]): string {
  let out = "";
  let at = 0;
  for (const s of spans) {
    if (s.start < at) continue;
    out += text.slice(at, s.start) + " ".repeat(s.end - s.start);
    at = s.end;
  }
  return out + text.slice(at);
}

/**
 * Find credentials in `text` (at most its first 64 KiB). Spans cover the
 * secret itself (for `password=hunter2` only `hunter2`); overlapping
 * matches are merged, the earlier one winning.
 */
export function scanSecrets(text: string): SecretMatch[] {
  if (typeof text !== "string" || text.length === 0) return [];
  let t = text.length > MAX_SCAN ? text.slice(0, MAX_SCAN) : text;
  const found: SecretMatch[] = [];
  markPairs(PAIRS_EXACT, t);
  // Private key blocks (the first rule, case-sensitive) are blanked out for the other rules: key material is
  // already one finding, and scanning kilobytes of base64 for tokens costs time and finds noise.
  let lowerMarked = false;
  let keyGate = false;
  for (let g = 0; g < (GATES.ruleEnd[0] as number) && !keyGate; g++) keyGate = gateOpen(g, t, t);
  if (keyGate) {
    const rule = RULES[0] as CompiledRule;
    const re = rule.re;
    const endAt = { pos: 0 };
    let keyHeaders = 0;
    re.lastIndex = 0;
    for (let m = re.exec(t); m !== null; m = re.exec(t)) {
      const end = privateKeyEnd(t, m.index + m[0].length, endAt, ++keyHeaders <= MAX_KEY_HEADERS);
      if (end !== null) {
        found.push({ kind: rule.kind, start: m.index, end });
        re.lastIndex = end;
      }
    }
    if (found.length > 0) {
      // The pairs of the blanked text, without reading the blocks again.
      lowerMarked = markBlankedPairs(t, found);
      t = maskSpans(t, found);
    }
  }
  // Gates of case-insensitive rules are checked against the lower-cased text.
  const lower = t.toLowerCase();
  if (!lowerMarked) markPairs(PAIRS_LOWER, lower);
  const { first, rule: ruleOf, ruleEnd } = GATES;
  for (let g = ruleEnd[0] as number; g < first.length; g++) {
    // Most gates are closed on their first pair.
    const p0 = first[g] as number;
    if ((((PAIRS[p0 >>> 5] as number) >>> (p0 & 31)) & 1) === 0 || !gateOpen(g, t, lower)) continue;
    // A rule runs once, from its first open gate: its other gates are passed over.
    const ri = ruleOf[g] as number;
    g = (ruleEnd[ri] as number) - 1;
    const rule = RULES[ri] as CompiledRule;
    if (rule.also !== undefined && !rule.also(rule.caseless ? lower : t)) continue;
    const re = rule.re;
    re.lastIndex = 0;
    for (let m = re.exec(t); m !== null; m = re.exec(t)) {
      if (m[0].length === 0) re.lastIndex++;
      const group = m.length > 1 && m[m.length - 1] !== undefined ? m.length - 1 : 0;
      const secret = m[group] ?? "";
      const span = m.indices?.[group];
      if (!span || secret.length === 0) continue;
      // `AKIAXXXXXXXXXXXXXXXX`, `sk_live_AAAAAAAA...`: a long run of one character is a stand-in, and so is
      // a body saying EXAMPLE or leaving a slot to fill in (DUMMY), whatever the format.
      if (longestRun(secret) >= 6 || DUMMY.test(secret)) continue;
      if (rule.generic && (sequential(secret) || covered(found, span[0], span[1]))) continue;
      if (rule.valid && !rule.valid(secret, m)) continue;
      found.push({ kind: rule.kind, start: span[0], end: span[1] });
    }
  }
  if (found.length === 0) return found;
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: SecretMatch[] = [];
  for (const f of found) {
    const last = merged[merged.length - 1];
    if (last && f.start < last.end) {
      last.end = Math.max(last.end, f.end);
      continue;
    }
    merged.push({ ...f });
  }
  return merged;
}

/**
 * `text` with every credential replaced by `[REDACTED:<kind>]`. Text past
 * the first 64 KiB was not scanned, so it is dropped (with a marker saying
 * how much) rather than passed on unchecked.
 */
export function redactSecrets(text: string): string {
  if (typeof text !== "string") return "";
  const matches = scanSecrets(text);
  let out = "";
  let at = 0;
  const limit = Math.min(text.length, MAX_SCAN);
  for (const m of matches) {
    out += `${text.slice(at, m.start)}[REDACTED:${m.kind}]`;
    at = m.end;
  }
  out += text.slice(at, limit);
  if (text.length > MAX_SCAN) out += `[TRUNCATED:${text.length - MAX_SCAN} characters not scanned]`;
  return out;
}

/**
 * `value` redacted as it would be under `key`: `{"password": "Hx7!vQ2p"}`
 * has no credential in the value alone, but `password=Hx7!vQ2p` does. For
 * redacting JSON objects entry by entry (secretsFindings judges entries the
 * same way).
 */
export function redactSecretValue(key: string, value: string): string {
  const prefix = `${key}=`;
  const out = redactSecrets(prefix + value);
  // A match that reached into the key leaves nothing to keep apart: redact the whole value.
  return out.startsWith(prefix) ? out.slice(prefix.length) : "[REDACTED:secret]";
}

const MAX_DEPTH = 32;
const MAX_NODES = 10_000;

/** The strings of a JSON value, for secretsFindings: each with where it starts in the joined text and its path. */
interface Collected {
  parts: string[];
  starts: number[];
  paths: string[];
  size: number;
  nodes: number;
  /** Text was left out: past {@link MAX_SCAN} characters, {@link MAX_NODES} values or {@link MAX_DEPTH} levels. */
  truncated: boolean;
}

function collectString(c: Collected, text: string, path: string): void {
  if (text.length < 8) return;
  if (c.size >= MAX_SCAN) {
    c.truncated = true;
    return;
  }
  c.starts.push(c.size);
  c.paths.push(path);
  c.parts.push(text);
  c.size += text.length + 1;
}

function collectStrings(c: Collected, v: unknown, path: string, depth: number): void {
  if (c.nodes++ > MAX_NODES || c.size >= MAX_SCAN || depth > MAX_DEPTH) {
    c.truncated = true;
    return;
  }
  if (typeof v === "string") collectString(c, v, path);
  else if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) collectStrings(c, v[i], `${path}[${i}]`, depth + 1);
  } else if (typeof v === "object" && v !== null) {
    for (const [k, x] of Object.entries(v)) {
      const p = path === "" ? k : `${path}.${k}`;
      if (typeof x === "string" || typeof x === "number") collectString(c, `${k}=${String(x)}`, p);
      else collectStrings(c, x, p, depth + 1);
    }
  }
}

/** The findings for matches in the joined text whose parts start at `starts` and came from `paths`, without repeats. */
function findingsOf(matches: readonly SecretMatch[], starts: readonly number[], paths: readonly string[]): string[] {
  const findings = new Set<string>();
  for (const m of matches) {
    // The last segment starting at or before the match is where it is.
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= m.start) lo = mid;
      else hi = mid - 1;
    }
    const path = paths[lo] ?? "";
    const where = path === "" ? "" : ` (at ${path.length > 100 ? `${path.slice(0, 100)}…` : path})`;
    findings.add(`carries ${DESCRIPTIONS[m.kind] ?? m.kind}${where}`);
  }
  return [...findings];
}

/**
 * Walk any JSON value (strings, arrays, nested objects; bounded in depth,
 * node count and total text) and report the credentials it carries as
 * `secrets` findings like "carries an AWS access key id (at headers.x)".
 * An object entry is scanned as `key=value`, so `{"password": "..."}` is
 * judged like `password=...`.
 */
export function secretsFindings(value: unknown): { tags: string[]; findings: string[] } {
  // Every string is collected into one newline-joined text and scanned once:
  // one pass over ~60 rules instead of one per string.
  const c: Collected = { parts: [], starts: [], paths: [], size: 0, nodes: 0, truncated: false };
  collectStrings(c, value, "", 0);
  const { parts, starts, paths } = c;
  if (parts.length === 0) return c.truncated ? notAllScanned() : { tags: [], findings: [] };
  const text = parts.join("\n");
  const matches = scanSecrets(text);
  const out: { tags: string[]; findings: string[] } =
    matches.length > 0 ? { tags: [TAGS.secrets], findings: findingsOf(matches, starts, paths) } : { tags: [], findings: [] };
  // What was not scanned may hold a credential (padding before it hides it): never read as clean.
  if (c.truncated || text.length > MAX_SCAN) {
    const rest = notAllScanned();
    out.tags.push(...rest.tags);
    out.findings.push(...rest.findings);
  }
  return out;
}

function notAllScanned(): { tags: string[]; findings: string[] } {
  return {
    tags: [TAGS.unclassified],
    findings: [
      `holds more than the secrets scanner reads (${MAX_SCAN / 1024} KiB of text, ${MAX_NODES} values, ${MAX_DEPTH} levels): the rest was not checked for credentials`,
    ],
  };
}

/** Tags any action that carries a credential, whatever its kind. */
export const secretsPack: Pack = {
  name: "secrets",
  summary: "Credentials carried by any action: cloud and SaaS API keys, tokens, private keys, passwords in URLs and assignments",
  classify(action: Record<string, unknown>): Derived | null {
    const { tags, findings } = secretsFindings(action);
    if (tags.length === 0) return null;
    return { risk_tags: tags, labels: {}, findings };
  },
  overlay: `rules:
  - id: secrets-need-approval
    match:
      risk_tags: [secrets]
    decision: REQUIRE_APPROVAL
    reason: The action carries a credential; a security reviewer must approve it
    approval:
      approvers: [group:security]
      quorum: 1
      ttl: 30m
`,
};
