// `npm run test:integration`: the integration suite in VS Code 1.100.3, offline, on the source
// tree, on the installed VSIX and in Restricted Mode (`--dev-only`, `--restricted-only` run one).
import { packageVsix, runMode } from "./integrationRun";

async function main(): Promise<void> {
  const modes = process.argv.includes("--dev-only")
    ? (["dev"] as const)
    : process.argv.includes("--restricted-only")
      ? (["restricted"] as const)
      : (["dev", "vsix", "restricted"] as const);
  const vsix = modes.includes("vsix" as never) ? packageVsix() : undefined;
  let failed = false;
  for (const mode of modes) failed = (await runMode(mode, vsix)).exitCode !== 0 || failed;
  process.exitCode = failed ? 1 : 0;
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
