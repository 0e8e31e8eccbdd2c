import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as vscode from "vscode";

export const extensionId = "instruct-studio.instruct-studio";
/** "dev" runs the source tree; "vsix" runs the packaged extension installed from its VSIX. */
export const testMode = process.env.INSTRUCT_STUDIO_TEST_MODE ?? "dev";

export function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error("The integration tests need the samples folder open as the workspace");
  return vscode.Uri.joinPath(folder.uri, name);
}

export async function openInEditor(name: string, line = 0): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(workspaceFile(name));
  const editor = await vscode.window.showTextDocument(document, { preview: false });
  moveCursor(editor, line);
  return editor;
}

export function moveCursor(editor: vscode.TextEditor, line: number): void {
  const position = new vscode.Position(line, 0);
  editor.selection = new vscode.Selection(position, position);
}

export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Asks the launcher to capture the workbench (the offline launcher serves these requests from
 * its browser). Returns the PNG's path, or undefined where the launcher takes no screenshots.
 */
export async function screenshot(name: string): Promise<string | undefined> {
  const dir = process.env.INSTRUCT_STUDIO_SCREENSHOTS;
  if (!dir) return undefined;
  await vscode.commands.executeCommand("notifications.clearAll");
  await new Promise((r) => setTimeout(r, 600)); // let the workbench paint what the test just did
  const png = join(dir, `${name}.png`);
  writeFileSync(join(dir, `${name}.request`), "");
  return waitFor(`screenshot ${name}`, () => (existsSync(png) ? png : undefined), 30_000);
}
