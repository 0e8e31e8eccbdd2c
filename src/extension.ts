import * as vscode from "vscode";
import { InstructStudio } from "./context";

let studio: InstructStudio | undefined;

export function activate(extension: vscode.ExtensionContext): InstructStudio {
  const started = performance.now();
  try {
    studio = new InstructStudio(extension);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    void vscode.window.showErrorMessage(`Instruct Studio failed to start: ${message}`);
    throw error;
  }
  studio.activationMs = performance.now() - started;
  return studio;
}

export function deactivate(): void {
  studio?.dispose();
  studio = undefined;
}
