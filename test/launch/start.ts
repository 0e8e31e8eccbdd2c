// `npm start`: packages the extension, installs the VSIX into VS Code 1.100.3 (code-server) and
// serves it on localhost with the samples open. Ctrl+C stops it.
import { cpSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ensureCodeServer, installVsix, startCodeServer } from "./codeServer";
import { cacheDir, samplesDir } from "./paths";
import { hostSettings, packageVsix } from "./integrationRun";

async function main(): Promise<void> {
  const entry = ensureCodeServer();
  const vsix = packageVsix();
  const demo = join(cacheDir, "demo");
  const dirs = { userDataDir: join(demo, "user-data"), extensionsDir: join(demo, "extensions"), folder: join(demo, "samples") };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  // The demo edits a copy of the samples, kept between runs; a sample added since is copied in.
  cpSync(samplesDir, dirs.folder, { recursive: true, force: false });
  const settings = join(dirs.userDataDir, "User", "settings.json");
  if (!existsSync(settings)) {
    mkdirSync(join(dirs.userDataDir, "User"), { recursive: true });
    writeFileSync(settings, JSON.stringify(hostSettings, null, 2));
  }
  installVsix(entry, [vsix], dirs);
  const port = Number(process.env.PORT ?? 8080);
  const server = await startCodeServer(entry, { ...dirs, env: {}, logFile: join(demo, "code-server.log"), port });
  // It opens on the sample with the common mistakes: validation, quick fixes and the report at once.
  const payload = [["openFile", `vscode-remote://${server.authority}${join(dirs.folder, "common-mistakes.jsonl")}`]];
  console.log(
    `\nInstruct Studio is running in VS Code at ${server.origin}/?folder=${encodeURIComponent(dirs.folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`,
  );
  console.log("Open that URL in a browser; press Ctrl+C to stop.");
  const stop = () => void server.stop().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
