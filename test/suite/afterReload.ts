// The entry of the second window (integrationRun.ts): only the `*.afterReload.test.js` files, in
// the same workspace and user data as the main suite's window, which is closed by then.
import { afterReload, runFiles } from "./index";

export function run(): Promise<void> {
  return runFiles(afterReload);
}
