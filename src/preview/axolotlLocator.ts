import { existsSync } from "node:fs";
import * as vscode from "vscode";
import { askForTrl, askInterpreter, fromPath } from "../core/templates/axolotl/findAxolotl";
import type { AxolotlInstall } from "../core/templates/axolotl/resolve";
import type { TrlInstall } from "../core/trainers/trl/trlTemplates";

type Install = { templatesDir: string; version?: string };

/**
 * Finds the template folder of a trainer the user has installed: a folder the setting names, else
 * the package installed for the Python interpreter VS Code's Python extension has selected, else
 * for `python3` on PATH. Answers are cached; nothing here blocks the extension host.
 */
class TemplatesLocator<T extends Install> {
  private readonly found = new Map<string, Promise<T | undefined>>();
  private last: { key: string; install?: T } | undefined;

  constructor(
    private readonly name: string,
    private readonly ask: (python: string) => Promise<T | undefined>,
    private readonly fromSetting: (path: string) => T | undefined,
    private readonly log: vscode.LogOutputChannel,
    private readonly onFound: () => void,
  ) {}

  /** What is known now for this setting; a lookup not yet done starts, and `onFound` fires when it ends with news. */
  current(setting?: string): T | undefined {
    // The interpreters asked depend on instructStudio.python: a new one is a new lookup.
    const key = `${setting ?? ""}\n${ownPython() ?? ""}`;
    if (this.last?.key === key) return this.last.install;
    if (!this.found.has(key)) {
      const lookup = setting ? Promise.resolve(this.fromSetting(setting)) : this.fromInterpreters();
      this.found.set(key, lookup);
      void lookup.then((install) => {
        this.last = { key, install };
        if (install) this.log.info(`${this.name}'s chat templates: ${install.templatesDir}${install.version ? ` (${this.name} ${install.version})` : ""}`);
        else if (setting) this.log.warn(`no ${this.name} chat templates found at ${setting}`);
        if (install) this.onFound();
      });
    }
    return undefined;
  }

  private async fromInterpreters(): Promise<T | undefined> {
    for (const python of await interpreters()) {
      const install = await this.ask(python);
      if (install) return install;
    }
    return undefined;
  }
}

/** The user's own Axolotl: `instructStudio.axolotl.path` (the package, a checkout or the templates folder), else the interpreters'. */
export class AxolotlLocator extends TemplatesLocator<AxolotlInstall> {
  constructor(log: vscode.LogOutputChannel, onFound: () => void) {
    super("Axolotl", askInterpreter, fromPath, log, onFound);
  }
}

/** The user's own TRL, whose training templates SFTTrainer swaps in for assistant_only_loss. */
export class TrlLocator extends TemplatesLocator<TrlInstall> {
  constructor(log: vscode.LogOutputChannel, onFound: () => void) {
    super("TRL", askForTrl, () => undefined, log, onFound);
  }
}

/** instructStudio.python, a user (machine) setting: the workspace's value is never read for a program to run. */
function ownPython(): string | undefined {
  return vscode.workspace.getConfiguration("instructStudio").inspect<string>("python")?.globalValue || undefined;
}

/** The Pythons to ask, in order: instructStudio.python, the Python extension's selected one, python.defaultInterpreterPath, python3. */
export async function interpreters(): Promise<string[]> {
  const found: string[] = [];
  const own = ownPython();
  if (own) found.push(own);
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
