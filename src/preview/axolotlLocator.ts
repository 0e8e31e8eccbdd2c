import { existsSync } from "node:fs";
import * as vscode from "vscode";
import { askInterpreter, fromPath } from "../core/templates/axolotl/findAxolotl";
import type { AxolotlInstall } from "../core/templates/axolotl/resolve";

/**
 * Finds the template folder of the user's own Axolotl: `instructStudio.axolotl.path` (the
 * package, a checkout or the templates folder itself), else the Axolotl installed for the Python
 * interpreter VS Code's Python extension has selected, else for `python3` on PATH. Answers are
 * cached; nothing here blocks the extension host.
 */
export class AxolotlLocator {
  private readonly found = new Map<string, Promise<AxolotlInstall | undefined>>();
  private last: { key: string; install?: AxolotlInstall } | undefined;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly onFound: () => void,
  ) {}

  /** What is known now for this setting; a lookup not yet done starts, and `onFound` fires when it ends with news. */
  current(setting: string | undefined): AxolotlInstall | undefined {
    const key = setting ?? "";
    if (this.last?.key === key) return this.last.install;
    if (!this.found.has(key)) {
      const lookup = setting ? Promise.resolve(fromPath(setting)) : this.fromInterpreters();
      this.found.set(key, lookup);
      void lookup.then((install) => {
        this.last = { key, install };
        if (install) this.log.info(`Axolotl's chat templates: ${install.templatesDir}${install.version ? ` (Axolotl ${install.version})` : ""}`);
        else if (setting) this.log.warn(`instructStudio.axolotl.path: no Axolotl chat templates found at ${setting}`);
        if (install) this.onFound();
      });
    }
    return undefined;
  }

  private async fromInterpreters(): Promise<AxolotlInstall | undefined> {
    for (const python of await interpreters()) {
      const install = await askInterpreter(python);
      if (install) return install;
    }
    return undefined;
  }
}

async function interpreters(): Promise<string[]> {
  const found: string[] = [];
  const python = vscode.extensions.getExtension<{ environments?: { getActiveEnvironmentPath(): { path: string } } }>("ms-python.python");
  try {
    const api = python && (python.isActive ? python.exports : await python.activate());
    const active = api?.environments?.getActiveEnvironmentPath().path;
    if (active) found.push(active);
  } catch {
    // The Python extension is optional; without its answer the other interpreters are asked.
  }
  const configured = vscode.workspace.getConfiguration("python").get<string>("defaultInterpreterPath");
  if (configured && configured !== "python" && existsSync(configured)) found.push(configured);
  found.push("python3");
  return [...new Set(found)];
}
