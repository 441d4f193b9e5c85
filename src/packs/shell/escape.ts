/**
 * Privilege and container escapes: kernel interfaces that run a program as
 * root on the host (cgroup release_agent, core_pattern, uevent_helper,
 * binfmt_misc), the Docker socket, namespace entry, kernel modules, mounts
 * that re-enable setuid or expose the host.
 */
import { normPath } from "./paths";

function lastSeg(p: string): string {
  const k = p.lastIndexOf("/");
  return k >= 0 ? p.slice(k + 1) : p;
}

/** Writing one of these makes the kernel run a program of the writer's choosing as root on the host. */
export function hostHookFile(path: string): string | null {
  if (path.length > 4096) return null;
  const n = normPath(path);
  const base = lastSeg(n);
  if (base === "release_agent") return "a cgroup release_agent, which the host kernel runs as root (a container escape)";
  if (base === "notify_on_release") return "notify_on_release, which arms a cgroup release_agent (a container escape)";
  // Every check below names a path under /proc or /sys.
  if (!n.startsWith("/proc/") && !n.startsWith("/sys/")) return null;
  if (n === "/proc/sys/kernel/core_pattern") return "core_pattern, which the kernel runs as root when a program crashes";
  if (n === "/sys/kernel/uevent_helper" || n === "/proc/sys/kernel/hotplug") return "the kernel's uevent helper, which it runs as root";
  if (n === "/proc/sys/kernel/modprobe") return "the kernel's modprobe path, which it runs as root";
  if (n.startsWith("/proc/sys/fs/binfmt_misc/")) return "a binfmt_misc interpreter, which the kernel runs for matching programs";
  if (/^\/proc\/(\d+|self)\/(uid_map|gid_map|setgroups)$/.test(n)) return "a user-namespace id map (maps the caller to root inside it)";
  if (n === "/proc/sysrq-trigger") return "sysrq-trigger, which can crash or reboot the machine";
  return null;
}

/** Paths that reach the host's root or the Docker daemon from inside a container. */
export function hostHandle(arg: string): string | null {
  if (arg.length > 4096) return null;
  // Called for every argument of every command: one scan for what all four socket names share.
  if (
    arg.includes(".sock") &&
    (arg.includes("docker.sock") || arg.includes("containerd.sock") || arg.includes("podman.sock") || arg.includes("crio.sock"))
  )
    return "the container runtime's socket, which controls the host as root";
  if (!arg.startsWith("/proc/")) return null;
  if (/^\/proc\/\d+\/root(\/|$)/.test(arg)) return "another process's root directory (/proc/PID/root), which reaches the host's files";
  if (/^\/proc\/\d+\/cwd(\/|$)/.test(arg)) return "another process's working directory (/proc/PID/cwd), outside this one's view";
  return null;
}

/** Linux capabilities Docker grants every container anyway: adding one of these gains nothing. */
export const DEFAULT_CAPS = new Set([
  "CHOWN",
  "DAC_OVERRIDE",
  "FSETID",
  "FOWNER",
  "MKNOD",
  "NET_RAW",
  "SETGID",
  "SETUID",
  "SETFCAP",
  "SETPCAP",
  "NET_BIND_SERVICE",
  "SYS_CHROOT",
  "KILL",
  "AUDIT_WRITE",
]);

/** `--cap-add X` / `--cap-add=X,Y` in docker run arguments that add a capability beyond Docker's defaults. */
export function addsExtraCapability(subArgs: readonly string[]): boolean {
  for (let i = 0; i < subArgs.length; i++) {
    const a = subArgs[i] ?? "";
    let v: string | undefined;
    if (a === "--cap-add") v = subArgs[i + 1] ?? "";
    else if (a.startsWith("--cap-add=")) v = a.slice(10);
    if (v === undefined) continue;
    for (const c of v.split(",")) {
      const cap = c.trim().toUpperCase().replace(/^CAP_/, "");
      if (cap === "" || !DEFAULT_CAPS.has(cap)) return true;
    }
  }
  return false;
}
