import { pythonJsonDumps } from "./pythonJson";

/** A tool call as LLaMA-Factory's FunctionFormatter parses it: a name and its arguments as JSON text. */
export interface FunctionCall {
  name: string;
  arguments: string;
}

/** One of LLaMA-Factory's ToolUtils: the system text listing the tools, and an assistant turn's calls. */
export interface ToolFormat {
  tools(tools: Array<Record<string, unknown>>): string;
  calls(calls: FunctionCall[]): string;
}

export const record = (v: unknown): Record<string, unknown> => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
export const text = (v: unknown): string => (typeof v === "string" ? v : v === undefined || v === null ? "" : String(v));
export const asFunction = (tool: Record<string, unknown>) => (tool.type === "function" ? tool : { type: "function", function: tool });

/** LLaMA-Factory's QwenToolUtils: tools as JSON lines in <tools>, calls in <tool_call> blocks. */
export const qwenFormat: ToolFormat = {
  tools(tools) {
    const toolText = tools.map((tool) => `\n${pythonJsonDumps(asFunction(tool))}`).join("");
    return (
      `\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>${toolText}` +
      '\n</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call>'
    );
  },
  calls: (calls) => calls.map((c) => `<tool_call>\n${pythonJsonDumps({ name: c.name, arguments: JSON.parse(c.arguments) })}\n</tool_call>`).join("\n"),
};
