/** Why a child died, from what it printed last. */
export function crashCause(lastWords: string, signal: NodeJS.Signals | null): string {
  if (/heap out of memory|Allocation failed|reached heap limit/i.test(lastWords)) return "it ran out of memory";
  const native = /what\(\):\s*(.+)|GGML_ASSERT\((.+)\)|llama_model_load: error[^:]*:\s*(.+)/.exec(lastWords);
  if (native) return `llama.cpp gave up reading a model file (${(native[1] ?? native[2] ?? native[3]).trim()}); that file cannot be used`;
  if (signal === "SIGKILL") return "it was killed (by the system's out-of-memory killer, or by hand)";
  return "it crashed; its last output is above";
}
