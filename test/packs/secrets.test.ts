import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  distinctAtLeast,
  MAX_SCAN,
  redactSecrets,
  redactSecretValue,
  SECRET_PATTERNS,
  scanSecrets,
  secretsFindings,
  secretsPack,
} from "../../src/packs/secrets/index";
import { compilePolicy } from "../../src/policy/compiler";
import { regexSafetyProblem } from "../../src/policy/regex-safety";

const ctx = { environments: {} };
const kinds = (text: string): string[] => scanSecrets(text).map((m) => m.kind);

/**
 * Credentials built at run time from pieces, so this file does not itself
 * look like it leaks keys to the repository's own secret scanning.
 */
const k = (...parts: string[]): string => parts.join("");
const RSA_BODY =
  "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDndJt7NaG8T64/qMJ9QyvAY42n1+m0aOk5DAvPgKwaAFOWzxPxp7Y4GAW4rVJh+fNCFiWFoWCLIkVU";

const POSITIVES: [string, string][] = [
  ["aws-access-key-id", k("aws_access_key_id = AKIA", "Q3EGUKKWZXN7R5TP")],
  ["aws-secret-access-key", k("AWS_SECRET_ACCESS_KEY=", "Jq8mT2vXz9LkR4pWn7bY3cHs6dFg1aQe5uZo0iKy")],
  ["github-token", k("token ghp_", "wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO0pINUx")],
  ["github-token", k("github_pat_", "11ABCDEFG0xQ9mZr2LwKp7_Tn4bVc8Hy3Jd6Fs1Ge5Ru0Wq2Ex7Ti9Oy4Pa3Sd8Fg6Hj1Kl5Zx0Cv2Bn")],
  ["slack-token", k("xoxb-", "2948174620-4839201746-Hq7bNc2XvR9mTz4LpW8kYs3D")],
  ["slack-webhook", k("https://hooks.slack.com/services/", "T024BE7LD/B01H2PQ3R4S/Zx8cV2bN7mQ4wE9rT1yU6iO3")],
  ["stripe-key", k("sk_live_", "51HqZx8cV2bN7mQ4wE9rT1yU6iO3pA5sD")],
  ["google-api-key", k("AIza", "SyD3asb-2pEZVqMkmL6M9N6nHZRR_znhrh0")],
  ["private-key", `-----BEGIN RSA PRIVATE KEY-----\n${RSA_BODY}\n${RSA_BODY}\n-----END RSA PRIVATE KEY-----`],
  ["private-key", `{"key": "-----BEGIN PRIVATE KEY-----\\n${RSA_BODY}\\n-----END PRIVATE KEY-----\\n"}`],
  [
    "jwt",
    k(
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9",
      ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ",
      ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    ),
  ],
  ["bearer-token", k("Authorization: Bearer ", "q8Zr2LwKp7Tn4bVc8Hy3Jd6Fs1Ge5Ru0")],
  ["basic-auth", k("Authorization: Basic ", btoa("deploy:Hx7!vQ2p"))],
  ["basic-auth", "curl -u admin:Zx8cV2bN7m https://example.org"],
  ["url-password", "postgres://app:Tr0ub4dor3x@db.internal:5432/app"],
  ["url-password", "mongodb+srv://svc:Q7mZ2vX9kL@cluster0.abcde.mongodb.net/prod"],
  ["url-password", "redis://:Hq7bNc2XvR9m@cache:6379/0"],
  ["url-password", "amqp://guest:W8nLp3Qz6Rt@mq:5672/"],
  ["password-assignment", "DB_PASSWORD=Hx7!vQ2pLm9"],
  ["password-assignment", 'api_key: "Zx8cV2bN7mQ4wE9rT1yU"'],
  ["password-assignment", "clientSecret := 'a9F3kLm2Qx7Vz8'"],
  ["npm-token", k("npm_", "Zx8cV2bN7mQ4wE9rT1yU6iO3pA5sDf7Gh9Jk")],
  ["npm-token", k("//registry.npmjs.org/:_authToken=", "743b294a-cd03-11ec-9d64-0242ac120002")],
  ["openai-key", k("sk-", "Xi8tcNiHV9awbCcvilTeT3BlbkFJ3UDnpdEwNNm6wVBpYM0o")],
  ["openai-key", k("sk-proj-", "Xi8tdMjHV6pmbBbwilTeT3BlbkFJ3UDnpdEwNNm6wVBpYM0o")],
  [
    "anthropic-key",
    k("sk-ant-api03-", "Zx8cV2bN7mQ4wE9rT1yU6iO3pA5sDf7Gh9Jk2Lq4Wm6Eb8Rn1Ty3Ui5Op7As9Df2Gh4Jk6Lz8Xc1Vb3Nm5Qw7Er9Ty2Ui", "AA"),
  ],
  ["sendgrid-key", k("SG.", "ngeVfQFYQlKU0ufo8x5d1A", ".TwL2iGABf9DHoTf-09kqeF8tAmbihYzrnopKc-1s5cr")],
  ["twilio-key", k("SK", "2f4e8a1c9b7d3e5f6a8c0b2d4e6f8a1c")],
];

const NEGATIVES: string[] = [
  "password=changeme",
  "password=<your-password>",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${VAR} is the placeholder under test
  "token=${TOKEN}",
  "password=$PASSWORD",
  "api_key=xxxxxxxxxxxxxxxx",
  "aws_access_key_id=AKIAIOSFODNN7EXAMPLE",
  "aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  "postgres://user:password@localhost/db",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${VAR} is the placeholder under test
  "mysql://root:${MYSQL_PASSWORD}@db/app",
  "secret: {{ .Values.secret }}",
  "max_tokens=4096",
  "token_type=bearer",
  "password_length=16",
  "tokenizer=bert-base-uncased",
  "Use a Bearer token in the Authorization header.",
  "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----",
  "-----BEGIN PRIVATE KEY-----\nxxx\n-----END PRIVATE KEY-----",
  "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----",
  "xoxb-test",
  "git commit -m 'rotate the api key'",
  "SELECT password FROM users WHERE id = 1",
  "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9",
  "https://example.org/path?page=2",
  "the sk-learn package",
];

describe("scanSecrets: detects credentials", () => {
  it.each(POSITIVES)("%s in %s", (kind, text) => {
    expect(kinds(text)).toContain(kind);
  });
});

describe("scanSecrets: placeholders and look-alikes do not fire", () => {
  it.each(NEGATIVES)("%s", (text) => {
    expect(scanSecrets(text)).toEqual([]);
  });
});

/** A deterministic random-looking token of `n` characters from `chars`. */
function token(n: number, seed: number, chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"): string {
  // xorshift32
  let x = Math.imul(seed, 2654435761) >>> 0 || 1;
  let out = "";
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out += chars[x % chars.length];
  }
  return out;
}
const HEX = "0123456789abcdef";
/** An alphabet walk of `n` characters: the shape of a hand-made stand-in. */
const walk = (n: number): string => "aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789abcdefghijklmnopqrstuvwxyz".repeat(2).slice(0, n);
const JWT = k(
  "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9",
  ".eyJpc3MiOiI0MjQyIiwiaWF0IjoxNzAwMDAwMDAwfQ",
  ".",
  token(43, 7, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"),
);

describe("scanSecrets: vendor formats added for external corpora", () => {
  it("GitHub App installation tokens carrying a JWT", () => {
    expect(kinds(k("GITHUB_TOKEN=ghs_", "4242_", JWT))).toContain("github-token");
    // The embedded part must be a real JWT: its header decodes to a JSON object.
    expect(scanSecrets(k("ghs_", "4242_eyJhbGciOi.eyJpc3MiOiI0MjQyIn0.", token(43, 8)))).toEqual([]);
  });

  it("Amazon Bedrock API keys, long- and short-lived, but not documentation examples", () => {
    const long = k("ABSK", btoa(`BedrockAPIKey-${token(20, 3)}-at-${token(60, 4)}`));
    expect(kinds(`AWS_BEARER_TOKEN_BEDROCK=${long}`)).toContain("bedrock-api-key");
    const short = k("bedrock-api-key-", btoa(`bedrock.amazonaws.com/?Action=CallWithBearerToken&X-Amz-Credential=${token(80, 5)}`));
    expect(kinds(short)).toContain("bedrock-api-key");
    expect(scanSecrets(k("ABSK", btoa("BedrockAPIKey-"), "EXAMPLEKEY".repeat(12)))).toEqual([]);
  });

  it("Cloudflare API tokens: 40 characters and an 8-hex checksum, nothing longer", () => {
    const body = k(token(40, 11), token(8, 12, HEX));
    expect(kinds(`CF_TOKEN=cfut_${body}`)).toContain("cloudflare-token");
    expect(kinds(`cfk_${body}`)).toContain("cloudflare-token");
    expect(scanSecrets(`cfat_${body}Q`)).toEqual([]);
    expect(scanSecrets("cfat_short")).toEqual([]);
  });

  it("fixed-length GitLab tokens only at their length", () => {
    const b = (n: number, seed: number): string => token(n, seed, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");
    for (const t of [k("glptt-", b(40, 1)), k("glimt-", b(25, 2)), k("gloas-", b(64, 3)), k("glagent-", b(56, 4))])
      expect(kinds(`x ${t} y`)).toContain("gitlab-token");
    for (const t of [k("glptt-", b(43, 1)), k("glimt-", b(23, 2)), k("gloas-", b(70, 3)), k("glagent-", b(20, 4))])
      expect(scanSecrets(`x ${t} y`)).toEqual([]);
  });

  it("GitLab runner registration tokens, which do not start with gl", () => {
    expect(kinds(k("REGISTRATION_TOKEN=GR1348941", token(20, 51)))).toContain("gitlab-token");
    expect(scanSecrets("GR1348941short")).toEqual([]);
  });

  it("PyPI tokens only when long enough to be a whole macaroon", () => {
    const b = (n: number): string => token(n, 21, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");
    expect(kinds(k("pypi-AgEIcHlwaS5vcmc", b(150)))).toContain("pypi-token");
    expect(scanSecrets(k("pypi-AgEIcHlwaS5vcmc", b(60)))).toEqual([]);
  });

  it("a basic-auth header whose user name is an API key and password empty", () => {
    expect(kinds(k("Authorization: Basic ", btoa(`${token(32, 31)}:`)))).toContain("basic-auth");
    // In an Authorization header a bare client id is the credential sent; in free text it must look random.
    expect(kinds(k("curl -H 'Authorization: Basic ", btoa("browser:"), "'"))).toContain("basic-auth");
    expect(scanSecrets(k("the word basic ", btoa("browser:")))).toEqual([]);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${VAR} is the placeholder under test
    expect(scanSecrets(k("Authorization: Basic ", btoa("${CLIENT_ID}:")))).toEqual([]);
  });
});

describe("scanSecrets: stand-ins added for external corpora do not fire", () => {
  it("alphabet walks: a vendor-format token still fires, a generic assignment does not", () => {
    // Prefix and exact length make the shape of a real key; a walk in its body is no proof of a dummy.
    expect(kinds(k("gsk_", walk(52)))).toContain("groq-key");
    expect(kinds(k("figd_", walk(48)))).toContain("figma-token");
    expect(kinds(k("sk-ant-api03-", "abc123def456-ghijklm-nopqr789stuv-", walk(59), "AA"))).toContain("anthropic-key");
    expect(kinds(k("glpat-", walk(20)))).toContain("gitlab-token");
    expect(kinds(k("dapi", "1234567890ABCDEF1234567890ABCDEF"))).toContain("databricks-token");
    // Under a secret-ish name only, a walk is a stand-in.
    expect(scanSecrets("SERVICE_ACCESS_KEY: AbCdEF789")).toEqual([]);
    expect(kinds(k("gsk_", token(52, 41)))).toContain("groq-key");
  });

  it("clear dummies in vendor formats do not fire: one repeated character, EXAMPLE, masking", () => {
    for (const t of [
      k("sk_live_", "A".repeat(24)),
      k("hf_", "x".repeat(34)),
      k("tskey-api-", "A".repeat(12), "-", "B".repeat(24)),
      k("AKIA", "Z".repeat(16)),
      k("dckr_pat_", "Example1234567890AbCdEfGhjK"),
      k("lin_api_", token(33, 61), "EXAMPLE"),
      k("GR1348941", "123".repeat(7)),
    ])
      expect(scanSecrets(t), t).toEqual([]);
  });

  it("AWS keys: EXAMPLE marks a documentation key, another word does not", () => {
    expect(kinds(k("aws_access_key_id=AKIA", "IOSFODNN7SECRETS"))).toContain("aws-access-key-id");
    expect(kinds(k("aws_secret_access_key=", "Jq8mT2vXz9LkR4pWn7bY3cHs6dFgMYSECRETKEY1"))).toContain("aws-secret-access-key");
    expect(scanSecrets(k("aws_access_key_id=AKIA", "IOSFODNN7EXAMPLE"))).toEqual([]);
  });

  it("URL passwords that are defaults, stand-ins or too short", () => {
    for (const u of [
      "mongodb://svc_app:svc_app@db:27017/app",
      "https://deploy:mypassword@api.internal/v1",
      "https://deploy:REPLACE_WITH_PASSWORD@api.internal/v1",
      "ftp://ci:abc@files.internal/",
      "https://ci:2222@files.internal/",
    ])
      expect(scanSecrets(u)).toEqual([]);
    expect(kinds("https://ci:Vq8pZ2rX@files.internal/")).toContain("url-password");
  });

  it("curl -u with a bracketed slot to fill in", () => {
    expect(scanSecrets("curl -u <name:secret> https://api.internal/")).toEqual([]);
    expect(scanSecrets("curl --user ops:[TOKEN] https://api.internal/")).toEqual([]);
    expect(kinds("curl --user ops:Vq8pZ2rXw https://api.internal/")).toContain("basic-auth");
  });

  it("a hyphenated resource name under a secret-ish key, but not a passphrase or a UUID token", () => {
    expect(scanSecrets("vaultForSecrets: ops-prd-7731904")).toEqual([]);
    expect(kinds("DB_PASSWORD=correct-horse-battery-7")).toContain("password-assignment");
    expect(kinds("auth_token=3f9a1c2e-8b7d-4e6f-a1b2-c3d4e5f60718")).toContain("password-assignment");
  });
});

const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

describe("scanSecrets: vendor formats, with their structure", () => {
  it("Stripe secret and restricted keys in live and test mode, not publishable keys", () => {
    expect(kinds(k("sk_test_", token(24, 71)))).toContain("stripe-key");
    expect(kinds(k("rk_live_", token(24, 72)))).toContain("stripe-key");
    expect(scanSecrets(k("pk_test_", token(24, 73)))).toEqual([]);
    expect(scanSecrets(k("foosk_test_", token(24, 74)))).toEqual([]);
  });

  it("GitLab tokens: 20 to 50 characters, or a routable token ending in .<version><crc>", () => {
    const b = (n: number, seed: number): string => token(n, seed, B64URL);
    expect(kinds(k("glpat-", b(20, 81)))).toContain("gitlab-token");
    expect(kinds(k("glsoat-", b(50, 82)))).toContain("gitlab-token");
    expect(scanSecrets(k("glsoat-", b(51, 82)))).toEqual([]);
    expect(kinds(k("glpat-", b(36, 83), ".01.", token(7, 84, "abcdefghijklmnopqrstuvwxyz0123456789")))).toEqual([]);
    expect(kinds(k("glpat-", b(36, 83), ".", token(9, 84, "abcdefghijklmnopqrstuvwxyz0123456789")))).toContain("gitlab-token");
    expect(scanSecrets(k("GR1348941", b(51, 85)))).toEqual([]);
  });

  it("Tailscale keys glued to a non-letter, not to a letter", () => {
    const key = k("tskey-auth-", token(12, 91), "-", token(24, 92));
    expect(kinds(`MY_${key}`)).toContain("tailscale-key");
    expect(kinds(`0${key}`)).toContain("tailscale-key");
    expect(scanSecrets(`x${key}`)).toEqual([]);
  });

  it("Telegram bot tokens, also inside a Bot API URL", () => {
    const t = k("110201543:AA", token(33, 101, B64URL));
    expect(kinds(t)).toContain("telegram-bot-token");
    expect(kinds(`https://api.telegram.org/bot${t}/getMe`)).toContain("telegram-bot-token");
    expect(scanSecrets(`robot${t}`)).toEqual([]);
  });

  it("legacy Sourcegraph tokens only under a Sourcegraph name", () => {
    const hex = token(40, 111, "0123456789abcdefABCDEF");
    expect(kinds(`sourcegraph: ${hex}`)).toContain("sourcegraph-token");
    expect(scanSecrets(hex)).toEqual([]);
    expect(scanSecrets(`commit: ${hex}`)).toEqual([]);
  });

  it("a Google Cloud service account key file, but not a template of one", () => {
    expect(kinds('"type": "service_account"')).toContain("gcp-service-account");
    expect(
      kinds(`{"type": "service_account", "project_id": "billing-prod", "client_email": "ci@billing-prod.iam.gserviceaccount.com"}`),
    ).toContain("gcp-service-account");
    // With the private key present, the key block decides: a `...` key is a template.
    expect(
      scanSecrets(
        '{"type":"service_account","project_id":"p","private_key":"-----BEGIN PRIVATE KEY-----\\n...\\n-----END PRIVATE KEY-----\\n"}',
      ),
    ).toEqual([]);
    expect(scanSecrets('{"type": "service_account", "project_id": "your-project-id"}')).toEqual([]);
    expect(
      kinds(`{"type":"service_account","private_key":"-----BEGIN PRIVATE KEY-----\\n${RSA_BODY}\\n-----END PRIVATE KEY-----\\n"}`),
    ).toContain("private-key");
    expect(scanSecrets('{"type": "authorized_user_list"}')).toEqual([]);
  });

  it("Artifactory reference tokens, Vault recovery tokens, Slack app configuration tokens", () => {
    expect(kinds(k("cmVmdGtuOj", token(54, 121)))).toContain("artifactory-key");
    expect(kinds(k("hvr.", token(90, 122, B64URL)))).toContain("vault-token");
    expect(kinds(k("xoxe.xoxp-1-", token(164, 123)))).toContain("slack-token");
    expect(kinds(k("xoxe-1-", token(146, 124)))).toContain("slack-token");
    expect(scanSecrets("xoxe.xoxp-1-RANDOMSTRINGHERE")).toEqual([]);
  });

  it("the signature of an Azure SAS URL, not a sig= elsewhere", () => {
    const sig = k(token(40, 131), "%2B", token(3, 132), "%3D");
    expect(kinds(`https://acct.blob.core.windows.net/c/f?sv=2022-11-02&sp=r&se=2030-01-01T00:00:00Z&sr=b&sig=${sig}`)).toContain(
      "azure-sas-token",
    );
    expect(scanSecrets(`https://example.org/download?file=a.tar.gz&sig=${sig}`)).toEqual([]);
  });

  it("a private key block is one finding, whatever its base64 happens to spell", () => {
    const body = `${RSA_BODY}\nghp_${token(36, 141)}\n${RSA_BODY}`;
    const found = scanSecrets(`-----BEGIN RSA PRIVATE KEY-----\n${body}\n-----END RSA PRIVATE KEY-----`);
    expect(found.map((m) => m.kind)).toEqual(["private-key"]);
  });

  it("credentials passed as command-line flag values, not references or other flags", () => {
    for (const c of [
      "kubectl --token Vq8pZ2rXwLm9Tn4bVc8Hy3Jd6 get pods",
      "vault login --api-key 4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c",
      "sshpass -p 'Vq8pZ2rXw' ssh deploy@host",
      "mysql -u root -pVq8pZ2rXw app",
      "docker login -u ci -p Vq8pZ2rXwLm9 registry.internal",
    ])
      expect(kinds(c), c).toContain("password-assignment");
    for (const c of [
      "mkdir -p build/out",
      "ssh -p 2222 deploy@host",
      "docker run -p 8080:80 nginx",
      "mysql -u root -p app",
      "mysql -h db -P33061 -u app",
      "kubectl --token $(cat /run/token) get pods",
      "app --password-file ./pw.txt",
      "app --token ./token.txt",
      "app --api-key env:API_KEY",
      "app --token-type bearer",
      "app --secret my-secret-name",
      "app --password changeme",
    ])
      expect(scanSecrets(c), c).toEqual([]);
    expect(redactSecrets("sshpass -p 'Vq8pZ2rXw' ssh deploy@host")).toBe("sshpass -p '[REDACTED:password-assignment]' ssh deploy@host");
  });

  it("Heroku API keys", () => {
    expect(kinds(k("HEROKU_API_KEY=HRKU-AA", token(58, 151, B64URL)))).toContain("heroku-key");
    expect(scanSecrets(k("HRKU-AA", token(20, 151)))).toEqual([]);
  });

  it("redacts every new format", () => {
    for (const t of [
      k("sk_test_", token(24, 71)),
      k("glsoat-", token(50, 82, B64URL)),
      k("MY_tskey-auth-", token(12, 91), "-", token(24, 92)),
      k("https://api.telegram.org/bot110201543:AA", token(33, 101, B64URL), "/getMe"),
      `sourcegraph: ${token(40, 111, "0123456789abcdef")}`,
      k("cmVmdGtuOj", token(54, 121)),
      k("hvr.", token(90, 122, B64URL)),
      k("xoxe-1-", token(146, 124)),
      k("dapi", "1234567890ABCDEF1234567890ABCDEF"),
      k("figd_", walk(48)),
      k("HRKU-AA", token(58, 151, B64URL)),
    ]) {
      const out = redactSecrets(`x ${t} y`);
      expect(out, t).toMatch(/\[REDACTED:[a-z0-9-]+\]/);
      const secret = t.replace(/^.*?(?:bot|: |MY_)/, "").slice(0, 30);
      expect(out, t).not.toContain(secret.slice(-20));
    }
  });
});

describe("redactSecrets", () => {
  it("replaces only the secret, keeping the key name", () => {
    expect(redactSecrets("DB_PASSWORD=Hx7!vQ2pLm9 next")).toBe("DB_PASSWORD=[REDACTED:password-assignment] next");
    expect(redactSecrets("postgres://app:Tr0ub4dor3x@db/app")).toBe("postgres://app:[REDACTED:url-password]@db/app");
  });

  it("replaces a token and a whole private key block", () => {
    const token = k("ghp_", "wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO0pINUx");
    expect(redactSecrets(`use ${token} here`)).toBe("use [REDACTED:github-token] here");
    const pem = `a\n-----BEGIN RSA PRIVATE KEY-----\n${RSA_BODY}\n-----END RSA PRIVATE KEY-----\nb`;
    expect(redactSecrets(pem)).toBe("a\n[REDACTED:private-key]\nb");
  });

  it("a private key without its END line is redacted to the end of the text", () => {
    expect(redactSecrets(`x -----BEGIN OPENSSH PRIVATE KEY-----\n${RSA_BODY}${RSA_BODY}`)).toBe("x [REDACTED:private-key]");
  });

  it("redactSecretValue judges a value by its key", () => {
    expect(redactSecretValue("password", "Hx7!vQ2pLm9")).toBe("[REDACTED:password-assignment]");
    expect(redactSecretValue("note", "Hx7!vQ2pLm9")).toBe("Hx7!vQ2pLm9");
    expect(redactSecretValue("password", "changeme")).toBe("changeme");
  });

  it("leaves clean text alone", () => {
    expect(redactSecrets("nothing to see: password=changeme")).toBe("nothing to see: password=changeme");
  });

  it("drops what it did not scan, rather than passing it on", () => {
    const tail = k("ghp_", "wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO0pINUx");
    const out = redactSecrets(`${"a".repeat(MAX_SCAN)}${tail}`);
    expect(out).not.toContain(tail);
    expect(out.endsWith(`[TRUNCATED:${tail.length} characters not scanned]`)).toBe(true);
  });
});

describe("secretsFindings", () => {
  it("walks nested objects and arrays, and says where, never what", () => {
    const token = k("ghp_", "wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO0pINUx");
    const r = secretsFindings({
      kind: "http",
      headers: { Authorization: `token ${token}` },
      body: { items: [{ note: "fine" }, { dsn: "postgres://a:Tr0ub4dor3x@h/d" }] },
    });
    expect(r.tags).toEqual(["secrets"]);
    expect(r.findings).toEqual(
      expect.arrayContaining([
        "carries a GitHub token (at headers.Authorization)",
        "carries a password in a URL or connection string (at body.items[1].dsn)",
      ]),
    );
    expect(r.findings.join(" ")).not.toContain(token);
    expect(r.findings.join(" ")).not.toContain("Tr0ub4dor3x");
  });

  it("judges an object entry as key=value", () => {
    expect(secretsFindings({ password: "Hx7!vQ2pLm9" }).tags).toEqual(["secrets"]);
    expect(secretsFindings({ password: "changeme" }).tags).toEqual([]);
    expect(secretsFindings({ note: "Hx7!vQ2pLm9" }).tags).toEqual([]);
  });

  it("is bounded in depth, and says so instead of reading what lies deeper as clean", () => {
    let deep: unknown = { password: "Hx7!vQ2pLm9" };
    for (let i = 0; i < 100; i++) deep = { a: deep };
    // Not followed to the bottom (no `secrets`), and not passed as clean either.
    expect(secretsFindings(deep).tags).toEqual(["unclassified"]);
  });

  it("says what it did not scan: text past 64 KiB, and values past the node bound", () => {
    const token = "ghp_16C7e42F292c6912E7710c838347Ae178B4a";
    const padded = secretsFindings({ body: "a ".repeat(40_000), headers: { Authorization: `Bearer ${token}` } });
    expect(padded.tags).toContain("unclassified");
    expect(padded.findings.join(" ")).toContain("not checked for credentials");
    const early = secretsFindings({ headers: { Authorization: `Bearer ${token}` }, body: "a ".repeat(40_000) });
    expect(early.tags).toEqual(["secrets", "unclassified"]);
    const many = secretsFindings({ items: Array.from({ length: 12_000 }, (_, i) => `value-${i}-xx`) });
    expect(many.tags).toEqual(["unclassified"]);
    // Within the bounds nothing changes.
    expect(secretsFindings({ body: "a ".repeat(1000) }).tags).toEqual([]);
  });

  it("answers nothing for values without strings", () => {
    expect(secretsFindings(null)).toEqual({ tags: [], findings: [] });
    expect(secretsFindings([1, true, { a: null }])).toEqual({ tags: [], findings: [] });
  });
});

describe("secrets pack", () => {
  it("tags any action kind that carries a credential, else answers null", () => {
    const d = secretsPack.classify({ kind: "shell", command: "psql postgres://app:Tr0ub4dor3x@db/app" }, ctx);
    expect(d).toEqual({ risk_tags: ["secrets"], labels: {}, findings: ["carries a password in a URL or connection string (at command)"] });
    expect(secretsPack.classify({ kind: "shell", command: "ls -la" }, ctx)).toBeNull();
  });

  it("its overlay asks the security group, quorum 1, for 30 minutes", async () => {
    const r = await compilePolicy(
      [{ kind: "base", path: "p.yaml", text: "version: 1\npacks: [secrets]\ngroups:\n  security: [email:sec@example.com]\nrules: []\n" }],
      new Map([["secrets", secretsPack]]),
    );
    expect(r.diagnostics.filter((x) => x.severity === "error")).toEqual([]);
    const rule = r.snapshot?.rules[0];
    expect(rule).toMatchObject({ id: "secrets-need-approval", decision: "REQUIRE_APPROVAL", approval: { quorum: 1, ttl_sec: 1800 } });
  });
});

describe("secrets: safety and speed", () => {
  it("every pattern passes the policy compiler's ReDoS check", () => {
    for (const re of SECRET_PATTERNS)
      expect({ re: re.source, problem: regexSafetyProblem(re.source) }).toEqual({ re: re.source, problem: null });
  });

  it("never throws on any text or value", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.anything()), (v) => {
        const text = typeof v === "string" ? v : (JSON.stringify(v) ?? "");
        for (const m of scanSecrets(text)) expect(m.start < m.end && m.end <= text.length).toBe(true);
        expect(typeof redactSecrets(text)).toBe("string");
        secretsFindings(v);
        secretsPack.classify({ kind: "x", v }, ctx);
      }),
      { numRuns: 500 },
    );
  });

  it("redacted text never still contains what was found", () => {
    fc.assert(
      fc.property(fc.constantFrom(...POSITIVES.map(([, t]) => t)), fc.string(), fc.string(), (secret, before, after) => {
        const text = `${before} ${secret} ${after}`;
        const found = scanSecrets(text).map((m) => text.slice(m.start, m.end));
        const red = redactSecrets(text);
        for (const f of found) expect(red.includes(f)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it("stays fast on hostile 64 KiB inputs", () => {
    for (const text of [
      "a".repeat(MAX_SCAN),
      "password=".repeat(7000),
      "-----BEGIN PRIVATE KEY-----".repeat(2400),
      "eyJ".repeat(21000),
      "Basic ".padEnd(MAX_SCAN, "A"),
    ]) {
      const t = Date.now();
      scanSecrets(text);
      // Workers' clock only advances on I/O; this bounds the case where it does.
      expect(Date.now() - t).toBeLessThan(500);
    }
  });
});

describe("distinctAtLeast", () => {
  it("agrees with counting the string's distinct characters, surrogate pairs and lone surrogates included", () => {
    const pieces = [
      "a",
      "A",
      "b",
      "0",
      "9",
      "_",
      "-",
      ".",
      "/",
      " ",
      "\u00e9",
      "\u4e2d",
      "\ud83d\ude00",
      "\ud83d\ude01",
      "\ud800",
      "\udc00",
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 40 }), fc.integer({ min: -1, max: 20 }), (parts, k) => {
        const s = parts.join("");
        expect(distinctAtLeast(s, k)).toBe(new Set(s).size >= k);
      }),
      { numRuns: 2000 },
    );
  });
});
