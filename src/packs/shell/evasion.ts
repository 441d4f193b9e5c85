/**
 * Evasion: hiding traces and weakening defences — clearing or disabling shell
 * history, deleting or emptying logs, turning off auditing, firewalls and
 * security tools, rewriting file timestamps.
 */
import { normPath } from "./paths";

function lastSeg(p: string): string {
  const k = p.lastIndexOf("/");
  return k >= 0 ? p.slice(k + 1) : p;
}

/** Files that record what was typed in a shell or a REPL. */
const HISTORY_FILES = new Set([
  ".bash_history",
  ".zsh_history",
  ".zhistory",
  ".history",
  ".sh_history",
  ".ksh_history",
  ".python_history",
  ".node_repl_history",
  ".psql_history",
  ".mysql_history",
  ".sqlite_history",
  ".rediscli_history",
  ".lesshst",
  ".viminfo",
  "fish_history",
]);

const LOG_DIRS = ["/var/log", "/var/adm", "/var/audit", "/private/var/log", "/run/log/journal", "/var/run/utmp", "/run/utmp"];

/** A system log or a shell history file: removing, emptying or overwriting it hides what happened. */
export function traceFile(path: string): string | null {
  if (path.length > 4096) return null;
  const n = normPath(path);
  const base = lastSeg(n);
  if (HISTORY_FILES.has(base)) return `the shell history ${base}`;
  for (const d of LOG_DIRS) {
    // `n` is `d` or below it (compared in place, without building `d + "/"` for every entry).
    if (n.startsWith(d) && (n.length === d.length || n.charCodeAt(d.length) === 47))
      return n === d || n === `${d}/*` ? `the logs in ${d}` : `the log ${n}`;
  }
  if (n.startsWith("~/Library/Logs") || n.startsWith("/Library/Logs")) return `the logs in ${n}`;
  // An audit trail kept anywhere (`ai_audit.log`, `audit/actions.jsonl`).
  if (/\.(log|jsonl|ndjson)$/.test(base) && /audit/i.test(n.slice(Math.max(0, n.lastIndexOf("/", n.length - base.length - 2) + 1))))
    return `the audit log ${n}`;
  return null;
}

/**
 * A shell variable assignment that stops or hides history recording:
 * `HISTFILE=/dev/null`, `HISTSIZE=0`, `HISTIGNORE='*'`, `HISTCONTROL=ignorespace`.
 */
export function historyVar(name: string, value: string): string | null {
  const v = value.replace(/^['"]|['"]$/g, "");
  switch (name) {
    case "HISTFILE":
      return v === "" || v === "/dev/null" ? `sets HISTFILE=${v || '""'}, so the shell history is not saved` : null;
    case "HISTSIZE":
    case "HISTFILESIZE":
    case "SAVEHIST":
      return v === "0" ? `sets ${name}=0, so no shell history is kept` : null;
    case "HISTIGNORE":
      return v.includes("*") ? `sets HISTIGNORE=${v}, so matching commands are left out of the history` : null;
    case "HISTCONTROL":
      return v.includes("ignorespace") || v.includes("ignoreboth")
        ? `sets HISTCONTROL=${v}, so commands typed with a leading space are left out of the history`
        : null;
    default:
      return null;
  }
}

/** Processes and services that audit, log, firewall or guard the machine (or the agent). */
export const GUARD_PROCESS =
  /^(auditd|rsyslogd?|syslogd?|syslog-ng|systemd-journald|journald|falco|osqueryd|wazuh-agentd?|ossec\w*|falcon-sensor|clamd|freshclam|aide|fail2ban-server|fail2ban|crowdstrike|sysmon|auditbeat|filebeat|td-agent|fluentd|fluent-bit|splunkd|tetragon|tracee|apparmor|snort|suricata|zeek|agentshield)$/;

/** `aws|gcloud|az ...` words that stop or delete audit logging and monitoring. */
const CLOUD_LOG_OFF: readonly RegExp[] = [
  /\bcloudtrail (stop-logging|delete-trail)\b/,
  /\bcloudtrail update-trail\b.*--no-(enable-log-file-validation|include-global-service-events|is-multi-region-trail)\b/,
  /\blogs (delete-log-group|delete-log-stream|delete-retention-policy|delete-subscription-filter)\b/,
  /\bguardduty (delete-detector|disassociate-from-master-account|update-detector\b.*--no-enable)\b/,
  /\bconfigservice (stop-configuration-recorder|delete-configuration-recorder|delete-delivery-channel)\b/,
  /\bsecurityhub disable-security-hub\b/,
  /\binspector2? disable\b/,
  /\bmacie2? disable-macie\b/,
  /\bbedrock delete-model-invocation-logging-configuration\b/,
  /\bbedrock put-model-invocation-logging-configuration\b.*--logging-config '?\{\s*\}'?/,
  /\bbedrock put-model-invocation-logging-configuration\b.*DeliveryEnabled"?\s*:\s*false/,
  /\blogging (sinks|logs|buckets) delete\b/,
  /\blogging sinks update\b.*--disabled\b/,
  /\bmonitor (diagnostic-settings|log-profiles|activity-log alert) delete\b/,
];

/** When a cloud CLI call turns off audit logging or monitoring, what it does. */
export function cloudLoggingOff(joined: string): string | null {
  if (joined.length > 8192) return null;
  for (const re of CLOUD_LOG_OFF) if (re.test(joined)) return "turns off or deletes cloud audit logging or monitoring";
  return null;
}
