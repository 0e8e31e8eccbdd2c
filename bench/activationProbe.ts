// Runs inside the VS Code extension host (as an extensionTestsPath module). Activates an empty
// extension first to warm the host's activation path, then Instruct Studio (from its installed
// VSIX) and an empty baseline extension (from its own VSIX), in the order the launcher asks.
import { writeFileSync } from "node:fs";
import * as vscode from "vscode";
import type { InternalStats } from "../src/commands";

export interface ActivationSample {
  baselineMs: number;
  extensionMs: number;
  insideActivateMs: number;
}

async function timeActivation(id: string): Promise<number> {
  const extension = vscode.extensions.getExtension(id);
  if (!extension) throw new Error(`${id} is not installed`);
  if (extension.isActive) throw new Error(`${id} was already active: the measurement would be warm`);
  const started = performance.now();
  await extension.activate();
  return performance.now() - started;
}

export async function run(): Promise<void> {
  await timeActivation("instruct-studio-tests.instruct-studio-test-host");
  const baselineFirst = process.env.INSTRUCT_STUDIO_BASELINE_FIRST === "1";
  const baselineId = "instruct-studio-tests.baseline-extension";
  const ourId = "instruct-studio.instruct-studio";
  let baselineMs = baselineFirst ? await timeActivation(baselineId) : 0;
  const extensionMs = await timeActivation(ourId);
  if (!baselineFirst) baselineMs = await timeActivation(baselineId);
  const stats = await vscode.commands.executeCommand<InternalStats>("instructStudio.internal.stats");
  const sample: ActivationSample = { baselineMs, extensionMs, insideActivateMs: stats.activationMs };
  writeFileSync(process.env.INSTRUCT_STUDIO_TEST_RESULTS!, JSON.stringify(sample));
}
