import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import type { AxolotlInstall } from "./resolve";
import type { TrlInstall } from "../../trainers/trl/trlTemplates";

/** Where an Axolotl package keeps its named chat templates. */
const templatesUnder = "utils/chat_templates/templates";

/** A folder the setting names: the templates folder, the package, or a checkout (src/axolotl). */
export function fromPath(path: string): AxolotlInstall | undefined {
  const candidates = [path, join(path, templatesUnder), join(path, "axolotl", templatesUnder), join(path, "src", "axolotl", templatesUnder)];
  const templatesDir = candidates.find((dir) => isDirectory(dir) && readdirSync(dir).some((f) => f.endsWith(".jinja")));
  if (!templatesDir) return undefined;
  return { templatesDir, version: distInfoVersion(templatesDir) };
}

/** The version of an installed package, from the axolotl-X.Y.Z.dist-info folder beside it. */
function distInfoVersion(templatesDir: string): string | undefined {
  const packageDir = dirname(dirname(dirname(templatesDir)));
  if (basename(packageDir) !== "axolotl") return undefined;
  try {
    const info = readdirSync(dirname(packageDir)).find((f) => /^axolotl-[^-]+\.dist-info$/.test(f));
    return info?.slice("axolotl-".length, -".dist-info".length);
  } catch {
    return undefined;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Locates the package with importlib's find_spec, which does not import it (importing Axolotl loads
 * torch: seconds). The interpreter runs isolated (`-I`: no current folder or script folder on
 * sys.path, no PYTHON* variables), so a `json.py` in a cloned dataset's folder never runs; `-I`
 * also leaves out the user's site-packages, where `pip install --user` puts Axolotl, so that one
 * folder is added back by name (it is the user's, not the dataset's).
 */
const findSpec = (name: "axolotl" | "trl") =>
  [
    "import sys, site, os",
    "user_site = site.getusersitepackages()",
    "if isinstance(user_site, str) and os.path.isdir(user_site) and user_site not in sys.path: sys.path.append(user_site)",
    "import importlib.util, json",
    `spec = importlib.util.find_spec('${name}')`,
    "folder = os.path.dirname(spec.origin) if spec and spec.origin else None",
    `try:\n    from importlib.metadata import version\n    v = version('${name}')\nexcept Exception:\n    v = None`,
    "print(json.dumps({'package': folder, 'version': v}))",
  ].join("\n");

let emptyFolder: string | undefined;

/**
 * An empty folder of our own to start interpreters in: never the dataset's, never a shared one.
 * Removed when the process exits (the extension host's or the CLI's): each left one behind.
 */
export function neutralFolder(): string {
  if (emptyFolder && isDirectory(emptyFolder)) return emptyFolder;
  const folder = mkdtempSync(join(tmpdir(), "instruct-studio-python-"));
  if (emptyFolder === undefined) process.once("exit", () => emptyFolder && rmSync(emptyFolder, { recursive: true, force: true }));
  emptyFolder = folder;
  return folder;
}

/** Where a package's folder of chat templates is, in the Python a user has, and the package's version. */
function askForTemplates(python: string, name: "axolotl" | "trl", under: string): Promise<{ templatesDir: string; version?: string } | undefined> {
  return new Promise((resolve) => {
    execFile(python, ["-I", "-c", findSpec(name)], { timeout: 10_000, cwd: neutralFolder() }, (error, stdout) => {
      if (error) return resolve(undefined);
      try {
        const { package: folder, version } = JSON.parse(stdout) as { package?: string; version?: string };
        const templatesDir = folder ? join(folder, under) : undefined;
        resolve(templatesDir && isDirectory(templatesDir) ? { templatesDir, version: version ?? undefined } : undefined);
      } catch {
        resolve(undefined);
      }
    });
  });
}

/** The Axolotl a Python interpreter would import, if it has one. */
export function askInterpreter(python: string): Promise<AxolotlInstall | undefined> {
  return askForTemplates(python, "axolotl", templatesUnder);
}

/** The TRL a Python interpreter would import, with its chat_templates folder (its training templates). */
export function askForTrl(python: string): Promise<TrlInstall | undefined> {
  return askForTemplates(python, "trl", "chat_templates");
}
