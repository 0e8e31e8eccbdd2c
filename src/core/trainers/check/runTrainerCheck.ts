import { spawn } from "node:child_process";
import { neutralFolder } from "../../templates/axolotl/findAxolotl";
import type { TrainerCheckRequest } from "./checkRequest";
import type { TrainerAnswer } from "./compareIds";
import { trainerCheckScript } from "./trainerCheckScript";

/** Importing torch and a trainer takes seconds to a minute; a first tokenizer load more. */
export const checkTimeoutMs = 300_000;
const maxAnswerBytes = 64 * 1024 * 1024;

/**
 * Runs the trainer's own preprocessing in one interpreter, isolated (`-I`: no current folder, no
 * PYTHON* variables) and started in an empty folder of ours, with a time limit. Its answer, or
 * `{error, missing: true}` when that Python has not the trainer (or cannot start).
 */
export function runTrainerCheck(python: string, request: TrainerCheckRequest, signal?: AbortSignal, timeoutMs = checkTimeoutMs): Promise<TrainerAnswer> {
  return new Promise((resolve) => {
    const child = spawn(python, ["-I", "-c", trainerCheckScript], { cwd: neutralFolder(), stdio: ["pipe", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    let size = 0;
    let stderr = "";
    const stop = () => child.kill("SIGKILL");
    const timer = setTimeout(stop, timeoutMs);
    signal?.addEventListener("abort", stop);
    child.stdout.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxAnswerBytes) stop();
      else chunks.push(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString("utf8")).slice(-4000)));
    child.on("error", (error) => resolve({ error: error.message, missing: true }));
    child.on("close", (code, killed) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", stop);
      if (killed)
        return resolve({
          error: signal?.aborted ? "cancelled" : `stopped after ${timeoutMs / 1000} s (or its answer passed ${maxAnswerBytes / 1024 / 1024} MB)`,
        });
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")) as TrainerAnswer);
      } catch {
        resolve({ error: `${python} exited ${code} without an answer: ${stderr.trim().split("\n").pop() ?? ""}` });
      }
    });
    child.stdin.on("error", () => undefined);
    child.stdin.end(JSON.stringify(request));
  });
}
