import { describe, expect, it } from "vitest";
import { credentialFileOf, credentialMentionOf } from "../../src/packs/credentials";
import { privateStateOf } from "../../src/packs/home-data";
import { mcpPack } from "../../src/packs/mcp/index";
import { classifyShellLine } from "../../src/packs/shell/index";

const ctx = { environments: { production: ["prod"] } };
const shellSecrets = (command: string) => classifyShellLine(command, ctx).risk_tags.includes("secrets");
const mcpSecrets = (path: string) =>
  (mcpPack.classify({ kind: "mcp", server: "fs", tool: "read_file", arguments: { path } }, ctx)?.risk_tags ?? []).includes("secrets");
const quote = (p: string) => `'${p.replaceAll("'", "'\\''")}'`;

/** Credential files in vendors' documented locations and by class. */
const CREDENTIALS = [
  // Cloud CLIs.
  "/home/u/.oci/config",
  "/home/u/.oci/oci_api_key.pem",
  "/home/u/.config/doctl/config.yaml",
  "/Users/u/Library/Application Support/doctl/config.yaml",
  "/home/u/.bluemix/config.json",
  "/home/u/.config/hcloud/cli.toml",
  "/home/u/.config/linode-cli",
  "/home/u/.config/scw/config.yaml",
  "/home/u/.vultr-cli.yaml",
  "/home/u/.config/ionosctl/config.json",
  "/home/u/.aliyun/config.json",
  "/home/u/.config/openstack/clouds.yaml",
  "/home/u/.aws/sso/cache/abc.json",
  "/home/u/.cloudflared/cert.pem",
  "/home/u/.wrangler/config/default.toml",
  "/home/u/.config/.wrangler/config/default.toml",
  "/etc/rancher/k3s/k3s.yaml",
  "/home/u/prod.kubeconfig",
  // Password managers, keyrings, keychains.
  "/home/u/vault.kdbx",
  "/home/u/Documents/passwords.kdb",
  "/Users/u/Library/Group Containers/2BUA8C4S2C.com.1password/Library/Application Support/1Password/Data/1password.sqlite",
  "/home/u/.config/op/config",
  "/home/u/.config/Bitwarden CLI/data.json",
  "/Users/u/Library/Application Support/Bitwarden/data.json",
  "/home/u/.local/share/rbw/db.json",
  "/home/u/.local/share/lpass/blob",
  "/home/u/.local/share/gopass/stores/root/email.gpg",
  "/home/u/.local/share/keyrings/login.keyring",
  "/home/u/.gnome2/keyrings/default.keyring",
  "/home/u/.local/share/kwalletd/kdewallet.kwl",
  "/Users/u/Library/Keychains/login.keychain-db",
  "C:\\Users\\bob\\AppData\\Roaming\\Microsoft\\Protect\\S-1-5-21-1\\abc",
  "C:/Users/bob/AppData/Local/Microsoft/Credentials/ABC123",
  "C:/Windows/System32/config/SAM",
  // Browsers and desktop apps.
  "/home/u/.config/google-chrome/Default/Login Data",
  "/home/u/.config/google-chrome/Default/Cookies",
  "/home/u/.config/google-chrome/Local State",
  "/home/u/.mozilla/firefox/abc.default/logins.json",
  "/home/u/.mozilla/firefox/abc.default/cookies.sqlite",
  "/home/u/.config/discord/Local Storage/leveldb/000005.ldb",
  "/Users/u/Library/Application Support/Slack/Local Storage/leveldb/MANIFEST-000001",
  "/home/u/.config/Signal/config.json",
  "/home/u/.local/share/TelegramDesktop/tdata/key_datas",
  "/Users/u/Library/Application Support/Code/User/globalStorage/state.vscdb",
  // Databases, registries, CI and deployment.
  "/home/u/.pgpass",
  "C:/Users/bob/AppData/Roaming/postgresql/pgpass.conf",
  "/home/u/.my.cnf",
  "/home/u/.mylogin.cnf",
  "/home/u/.usqlpass",
  "/home/u/.dbt/profiles.yml",
  "/home/u/.snowflake/connections.toml",
  "/home/u/.kaggle/kaggle.json",
  "/home/u/.databrickscfg",
  "/home/u/.config/filezilla/sitemanager.xml",
  "/home/u/.netrc",
  "/home/u/.config/heroku/netrc",
  "/home/u/.git-credentials",
  "/home/u/.config/git/credentials",
  "/home/u/.config/glab-cli/config.yml",
  "/home/u/.config/github-copilot/hosts.json",
  "/home/u/.config/argocd/config",
  "/home/u/.config/netlify/config.json",
  "/home/u/.fly/config.yml",
  "/home/u/.railway/config.json",
  "/home/u/.config/configstore/firebase-tools.json",
  "/home/u/.bundle/config",
  "/home/u/.nuget/NuGet/NuGet.Config",
  "/home/u/.config/pnpm/rc",
  "/home/u/.config/npm/npmrc",
  "/home/u/.yarnrc.yml",
  "/home/u/.m2/settings-security.xml",
  "/home/u/.terraformrc",
  "/home/u/.sentryclirc",
  "/home/u/.jfrog/jfrog-cli.conf.v6",
  "/home/u/.npm/_authToken",
  "/home/u/.netskopetoken",
  // Keys, wallets, token caches, TOTP secrets.
  "/home/u/certs/client.p12",
  "/home/u/certs/client.pfx",
  "/home/u/.config/sops/age/keys.txt",
  "/home/u/.config/borg/keys/repo_abc",
  "/home/u/.config/solana/id.json",
  "/home/u/.config/solana/deploy-keypair.json",
  "/home/u/.bitcoin/wallet.dat",
  "/home/u/.electrum/wallets/default_wallet",
  "/home/u/.google_authenticator",
  "/home/u/.ansible/vault_pass",
  "/home/u/.vault_pass.txt",
  "/home/u/.vagrant.d/insecure_private_key",
  "/home/u/.gemini/oauth_creds.json",
  "/home/u/.config/mcp/tokens/server-a.json",
  "/home/u/.local/share/jupyter/runtime/jpserver-123.json",
  "/home/u/.boto",
  "/home/u/.rclone.conf",
  "/var/lib/jenkins/secrets/hudson.util.Secret",
  "/etc/ssh/ssh_host_ed25519_key",
  "/etc/NetworkManager/system-connections/home.nmconnection",
  "/workspace/gcp-credentials-prod.json",
  "/workspace/config/secrets.prod.yaml",
  "/home/u/.config/terraform/credentials.tfrc.json",
  "/home/u/.databricks/token-version-2",
  "/run/user/1000/containers/auth.json",
  "/var/lib/buildkite-agent/buildkite-agent.cfg",
  "/var/www/html/wp-config.php",
];

/** Public material and look-alikes: not credentials. */
const NOT_CREDENTIALS = [
  "/home/u/.ssh/known_hosts",
  "/home/u/.ssh/config",
  "/home/u/.ssh/id_ed25519.pub",
  "/home/u/.ssh/authorized_keys",
  "/etc/istio/proxy/cert-chain.pem",
  "/etc/letsencrypt/live/example.com/fullchain.pem",
  "/etc/ssl/certs/ca-certificates.crt",
  "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
  "/etc/apt/keyrings/docker.gpg",
  "/usr/share/keyrings/debian-archive-keyring.gpg",
  "/home/u/aws/main.tf",
  "/home/u/projects/fly/config.yml",
  "/workspace/src/cookies/index.ts",
  "/workspace/design/tokens.json",
  "/workspace/src/auth.json",
  "/home/u/.config/mc/ini",
  "/home/u/.config/solana/cli/config.yml",
  "/home/u/.config/openstack/clouds-public.yaml",
  "/home/u/.docker/daemon.json",
  "/home/u/.config/Code/User/settings.json",
  "/home/u/.config/google-chrome/Default/Bookmarks",
  "/home/u/.bashrc",
  "/workspace/README.md",
  "/workspace/.secrets.baseline",
  "/workspace/src/tokens/colors.json",
  "/workspace/config/keys.json",
  "/home/u/.config/git/config",
  "/home/u/Library/Preferences/com.apple.finder.plist",
];

describe("credential files: one judgement for the shell and MCP packs", () => {
  it.each(CREDENTIALS)("%s is a credential file", (path) => {
    expect(credentialFileOf(path), path).not.toBeNull();
  });

  it.each(NOT_CREDENTIALS)("%s is not a credential file", (path) => {
    expect(credentialFileOf(path), path).toBeNull();
  });

  it("cat X and read_file {path: X} reach the same verdict", () => {
    for (const path of [...CREDENTIALS, ...NOT_CREDENTIALS]) {
      const shell = shellSecrets(`cat ${quote(path)}`);
      expect(shell, `cat ${path}`).toBe(mcpSecrets(path));
      // A credential file, or another application's private per-user state (src/packs/home-data.ts).
      expect(shell, `cat ${path}`).toBe(credentialFileOf(path) !== null || privateStateOf(path) !== null);
    }
  });

  it("a bare name is a file only where a reader takes it as one", () => {
    expect(shellSecrets("cat token")).toBe(true);
    expect(shellSecrets("grep token src/app.ts")).toBe(false);
    expect(shellSecrets("echo password")).toBe(false);
    expect(shellSecrets(`python3 -c 'print("password")'`)).toBe(false);
    expect(shellSecrets("cat *.p12")).toBe(true);
    expect(shellSecrets("find . -name '*.p12'")).toBe(false);
  });

  it("names credential files in any command's path arguments, not in messages", () => {
    expect(shellSecrets("tar czf /tmp/x.tgz ~/.oci")).toBe(true);
    expect(shellSecrets("cp ~/.config/doctl/config.yaml /tmp/")).toBe(true);
    expect(shellSecrets("rsync -a $HOME/.kaggle/ backup/")).toBe(true);
    expect(shellSecrets("scp deploy@web1:~/.oci/config .")).toBe(true);
    expect(shellSecrets("docker run -v /data:/data img")).toBe(false);
    expect(shellSecrets("git commit -m 'rotate token.json handling'")).toBe(false);
    expect(credentialMentionOf("https://example.com/api/token.json")).toBeNull();
    expect(credentialMentionOf("--exclude=*.kdbx")).toBeNull();
  });
});

describe("git prints committed credential files", () => {
  it("tags git log -p, git show REV:path and git blame on credential files, not on ordinary ones", () => {
    expect(shellSecrets("git log --all -p -- secrets.env")).toBe(true);
    expect(shellSecrets("git show HEAD~2:.env")).toBe(true);
    expect(shellSecrets("git blame config/secrets.yml")).toBe(true);
    expect(shellSecrets("git log --follow -- secrets.env")).toBe(false);
    expect(shellSecrets("git log -p -- README.md")).toBe(false);
    expect(shellSecrets("git show HEAD:src/app.ts")).toBe(false);
    expect(shellSecrets("git show v1.2.0")).toBe(false);
  });
});
