import { ViewUnavailableError } from "../trainerRefused";
import { pythonJsonDumps } from "./pythonJson";

/** A tool call as LLaMA-Factory's FunctionFormatter parses it: a name and its arguments as JSON text. */
export interface FunctionCall {
  name: string;
  arguments: string;
}

interface ToolFormat {
  tools(tools: Array<Record<string, unknown>>): string;
  calls(calls: FunctionCall[]): string;
}

const record = (v: unknown): Record<string, unknown> => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const text = (v: unknown): string => (typeof v === "string" ? v : v === undefined || v === null ? "" : String(v));

/** LLaMA-Factory's DefaultToolUtils: an Action / Action Input format. */
const defaultFormat: ToolFormat = {
  tools(tools) {
    let toolText = "";
    const names: string[] = [];
    for (const raw of tools) {
      const tool = raw.type === "function" ? record(raw.function) : raw;
      const parameters = record(tool.parameters);
      const required = Array.isArray(parameters.required) ? parameters.required : [];
      let paramText = "";
      for (const [name, value] of Object.entries(record(parameters.properties))) {
        const param = record(value);
        const enumText = Array.isArray(param.enum) && param.enum.length > 0 ? `, should be one of [${param.enum.map(text).join(", ")}]` : "";
        const items = param.items ? `, where each item should be ${text(record(param.items).type)}` : "";
        paramText += `  - ${name} (${text(param.type)}${required.includes(name) ? ", required" : ""}): ${text(param.description)}${enumText}${items}\n`;
      }
      toolText += `> Tool Name: ${text(tool.name)}\nTool Description: ${text(tool.description)}\nTool Args:\n${paramText}\n`;
      names.push(text(tool.name));
    }
    return (
      `You have access to the following tools:\n${toolText}Use the following format if using a tool:\n\`\`\`\n` +
      `Action: tool name (one of [${names.join(", ")}])\n` +
      'Action Input: the input to the tool, in a JSON format representing the kwargs (e.g. ```{"input": "hello world", "num_beams": 5}```)\n```\n'
    );
  },
  calls: (calls) => calls.map((c) => `Action: ${c.name}\nAction Input: ${c.arguments}`).join("\n"),
};

/** LLaMA-Factory's QwenToolUtils: tools as JSON lines in <tools>, calls in <tool_call> blocks. */
const qwenFormat: ToolFormat = {
  tools(tools) {
    const toolText = tools.map((tool) => `\n${pythonJsonDumps(asFunction(tool))}`).join("");
    return (
      `\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>${toolText}` +
      '\n</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call>'
    );
  },
  calls: (calls) => calls.map((c) => `<tool_call>\n${pythonJsonDumps({ name: c.name, arguments: JSON.parse(c.arguments) })}\n</tool_call>`).join("\n"),
};

const asFunction = (tool: Record<string, unknown>) => (tool.type === "function" ? tool : { type: "function", function: tool });

/** LLaMA-Factory's MistralToolUtils (Mistral v0.3). */
const mistralFormat: ToolFormat = {
  tools: (tools) => `[AVAILABLE_TOOLS] ${pythonJsonDumps(tools.map(asFunction))}[/AVAILABLE_TOOLS]`,
  calls: (calls) => pythonJsonDumps(calls.map((c) => ({ name: c.name, arguments: JSON.parse(c.arguments) }))),
};

const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** LLaMA-Factory's Llama3ToolUtils: JSON tool calling with today's date in the system prompt, as it writes it. */
function llama3Format(now: Date): ToolFormat {
  const date = `${String(now.getDate()).padStart(2, "0")} ${months[now.getMonth()]} ${now.getFullYear()}`;
  return {
    tools: (tools) =>
      `Cutting Knowledge Date: December 2023\nToday Date: ${date}\n\nYou have access to the following functions. To call a function, please respond with JSON for a function call. Respond in the format {"name": function name, "parameters": dictionary of argument name and its value}. Do not use variables.\n\n` +
      tools.map((tool) => `${pythonJsonDumps(asFunction(tool), 4)}\n\n`).join(""),
    calls: (calls) => {
      const objects = calls.map((c) => ({ name: c.name, parameters: JSON.parse(c.arguments) }));
      return pythonJsonDumps(objects.length === 1 ? objects[0] : objects);
    },
  };
}

const formats: Record<string, ToolFormat> = { default: defaultFormat, qwen: qwenFormat, mistral: mistralFormat };

export function toolFormat(name: string | null, now = new Date()): ToolFormat {
  const format = name === "llama3" ? llama3Format(now) : name === null ? undefined : formats[name];
  if (!format) throw new ViewUnavailableError(`This row has tools or tool calls, and the template's tool format "${name}" is not reproduced yet (default, qwen, mistral and llama3 are); its plain turns are.`);
  return format;
}
