import { TrainerRefusedError, ViewUnavailableError } from "../trainerRefused";
import { moreToolFormats } from "./moreToolFormats";
import { pythonJsonDumps } from "./pythonJson";
import { asFunction, record, text, ToolFormat, qwenFormat } from "./toolFormatBasics";

/** LLaMA-Factory's DefaultToolUtils: an Action / Action Input format. */
const defaultFormat: ToolFormat = {
  tools(tools) {
    let toolText = "";
    const names: string[] = [];
    for (const raw of tools) {
      const tool = raw.type === "function" ? record(raw.function) : raw;
      const parameters = record(tool.parameters);
      // Its `tool["parameters"]["properties"]` fails on a tool without them: LLaMA-Factory stops on the row.
      if (!Object.hasOwn(parameters, "properties"))
        throw new TrainerRefusedError(
          `LLaMA-Factory's default tool format fails on the tool "${text(tool.name)}": its parameters have no "properties" (KeyError: 'properties').`,
        );
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

const formats: Record<string, ToolFormat> = { default: defaultFormat, qwen: qwenFormat, mistral: mistralFormat, ...moreToolFormats };

export function toolFormat(name: string | null, now = new Date()): ToolFormat {
  const format = name === "llama3" ? llama3Format(now) : name === null ? undefined : formats[name];
  if (!format)
    throw new ViewUnavailableError(
      `This row has tools or tool calls, and the template's tool format "${name}" is not one LLaMA-Factory ff6d4d12 has; its plain turns are shown.`,
    );
  return format;
}
