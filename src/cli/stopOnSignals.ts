import { ModelError } from "../core/model/backend";

/**
 * Ctrl-C or SIGTERM: stop asking, abandon the requests in flight, keep every complete result;
 * the run ends as interrupted. A second one ends the process at once. Returns the undo.
 */
export function stopOnSignals(command: string, controller: AbortController, beforeMessage: () => void): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(signal === "SIGINT" ? 130 : 143);
    beforeMessage();
    process.stderr.write(`instruct-studio ${command}: ${signal}: stopping; what was written so far is kept (send it again to stop at once)\n`);
    controller.abort(new ModelError("Cancelled.", "cancelled"));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return () => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  };
}
