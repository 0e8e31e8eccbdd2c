// Packages the extension as a linux-x64 VSIX into artifacts/ and prints its path and size.
// vsce runs the "vscode:prepublish" script (a production build) first.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { version, name } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const target = "linux-x64";
const out = join(root, "artifacts", `${name}-${version}-${target}.vsix`);
mkdirSync(dirname(out), { recursive: true });
const vsce = join(dirname(createRequire(import.meta.url).resolve("@vscode/vsce/package.json")), "vsce");
// The README's images ship inside the VSIX, where VS Code resolves its relative links.
execFileSync(process.execPath, [vsce, "package", "--target", target, "--no-rewrite-relative-links", "--out", out], {
  cwd: root,
  stdio: ["ignore", "inherit", "inherit"],
});
console.log(`VSIX: ${out} (${(statSync(out).size / 1024 / 1024).toFixed(1)} MiB)`);
