import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { format } from "node:util";
import { chromium, Page } from "playwright-core";
import type { RunningServer } from "./codeServer";
import { ensureSystemPackages } from "./systemPackages";

export interface WorkbenchRun {
  server: RunningServer;
  folder: string;
  extensionDevelopmentPath: string;
  extensionTestsPath: string;
  /** Where the tests ask for screenshots (`NAME.request`) and find them (`NAME.png`). */
  screenshotDir: string;
  timeoutMs: number;
  log: (line: string) => void;
}

const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--no-first-run",
];

/**
 * Opens VS Code's web workbench in Debian's Chromium with the test payload, which makes the
 * workbench run the suite in its real Node extension host and report the exit code through
 * `codeAutomationExit`, as VS Code's own web integration tests do.
 */
export async function runSuiteInWorkbench(run: WorkbenchRun): Promise<number> {
  const remote = (path: string) => `vscode-remote://${run.server.authority}${path}`;
  const payload = [
    ["extensionDevelopmentPath", remote(run.extensionDevelopmentPath)],
    ["extensionTestsPath", remote(run.extensionTestsPath)],
    ["skipWelcome", "true"],
  ];
  const url = `${run.server.origin}/?folder=${encodeURIComponent(run.folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  mkdirSync(run.screenshotDir, { recursive: true });
  ensureSystemPackages("browser");

  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: chromiumArgs });
  try {
    // The web workbench picks its default theme from the browser's colour scheme.
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, colorScheme: "dark" });
    let exitCode: ((code: number) => void) | undefined;
    const exited = new Promise<number>((resolve) => (exitCode = resolve));
    await page.exposeFunction("codeAutomationExit", (code: number) => exitCode?.(code));
    await page.exposeFunction("codeAutomationLog", (type: string, args: unknown[]) => {
      const text = format(...args);
      if (!/Failed to load resource|open-vsx\.org|\[Extension Host\] Debugger/.test(text)) run.log(`[${type}] ${text}`);
    });
    page.on("pageerror", (error) => run.log(`[page error] ${error.message}`));
    const stopServing = serveScreenshots(page, run.screenshotDir, run.log);
    await page.goto(url);
    const timeout = new Promise<number>((resolve) =>
      setTimeout(() => {
        run.log(`The workbench did not finish the suite within ${run.timeoutMs} ms`);
        resolve(1);
      }, run.timeoutMs).unref(),
    );
    const code = await Promise.race([exited, timeout]);
    stopServing();
    await page.screenshot({ path: join(run.screenshotDir, "final.png") }).catch(() => undefined);
    return code;
  } finally {
    await browser.close();
  }
}

/** Answers the suite's screenshot requests: the page is captured from outside the extension host. */
function serveScreenshots(page: Page, dir: string, log: (line: string) => void): () => void {
  let busy = false;
  const timer = setInterval(async () => {
    if (busy || !existsSync(dir)) return;
    busy = true;
    try {
      for (const file of readdirSync(dir).filter((f) => f.endsWith(".request"))) {
        const name = file.slice(0, -".request".length);
        const png = await page.screenshot();
        writeFileSync(join(dir, `${name}.png.tmp`), png);
        renameSync(join(dir, `${name}.png.tmp`), join(dir, `${name}.png`));
        rmSync(join(dir, file), { force: true });
        log(`screenshot: ${join(dir, `${name}.png`)}`);
      }
    } catch (error) {
      log(`screenshot failed: ${(error as Error).message}`);
    } finally {
      busy = false;
    }
  }, 150);
  return () => clearInterval(timer);
}
