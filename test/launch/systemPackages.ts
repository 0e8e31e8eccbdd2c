import { execFileSync, spawnSync } from "node:child_process";

type Need = "server" | "browser";

/** Debian packages of the offline VS Code host, with the file that shows each is there. */
export const requiredPackages: Array<{ name: string; provides: string; why: string; need: Need }> = [
  { name: "ripgrep", provides: "/usr/bin/rg", why: "VS Code's search, which code-server would download", need: "server" },
  { name: "pkg-config", provides: "/usr/bin/pkg-config", why: "code-server's native modules", need: "server" },
  { name: "libkrb5-dev", provides: "/usr/include/gssapi/gssapi.h", why: "code-server's kerberos module", need: "server" },
  { name: "chromium", provides: "/usr/bin/chromium", why: "drives the VS Code web workbench in tests", need: "browser" },
  { name: "fonts-nanum", provides: "/usr/share/fonts/truetype/nanum", why: "Korean sample text in screenshots", need: "browser" },
];

const exists = (path: string) => spawnSync("test", ["-e", path]).status === 0;

/** Installs what is missing with apt-get when root; otherwise explains what to install. */
export function ensureSystemPackages(need: Need): void {
  const missing = requiredPackages.filter((p) => p.need === need && !exists(p.provides));
  if (missing.length === 0) return;
  const names = missing.map((p) => p.name);
  if (process.getuid?.() !== 0) {
    const reasons = missing.map((p) => `  ${p.name}: ${p.why}`).join("\n");
    throw new Error(`Missing Debian packages:\n${reasons}\nInstall them with: sudo apt-get install -y ${names.join(" ")}`);
  }
  console.log(`Installing Debian packages: ${names.join(", ")}`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
  execFileSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...names], { stdio: "inherit", env });
}
