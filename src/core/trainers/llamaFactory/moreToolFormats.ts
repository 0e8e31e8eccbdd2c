import { pythonTruthy } from "../../jsonl/parseRow";
import { TrainerRefusedError } from "../trainerRefused";
import { pythonJsonDumps } from "./pythonJson";
import { asFunction, FunctionCall, qwenFormat, record, ToolFormat } from "./toolFormatBasics";

/**
 * LLaMA-Factory's other ToolUtils (tool_utils.py at ff6d4d12): GLM-4, GLM-4-MoE, Qwen 3.5, Seed-OSS,
 * Ling, MiniMax M1 and M2, LFM2 and Gemma 4, each the text its tool_formatter and
 * function_formatter write. Arguments arrive as JSON text and are parsed as its `json.loads` does.
 */

/** `tool.get("function", default) if tool.get("type") == "function" else tool`. */
const unwrap = (tool: Record<string, unknown>, fallback: unknown) =>
  tool.type === "function" ? (Object.hasOwn(tool, "function") ? tool.function : fallback) : tool;
/** Python's `str()` of a JSON value in an f-string. */
const pyStr = (v: unknown) =>
  v === null || v === undefined
    ? "None"
    : v === true
      ? "True"
      : v === false
        ? "False"
        : typeof v === "string"
          ? v
          : typeof v === "number"
            ? String(v)
            : pythonJsonDumps(v);
const args = (call: FunctionCall) => record(JSON.parse(call.arguments));
/** A parameter value as these formats write it: a string as it is, anything else as JSON. */
const valueText = (value: unknown) => (typeof value === "string" ? value : pythonJsonDumps(value));
const qwenStyleToolList = (tools: Array<Record<string, unknown>>) => tools.map((tool) => `\n${pythonJsonDumps(asFunction(tool))}`).join("");

const glm4: ToolFormat = {
  tools: (tools) =>
    "你是一个名为 ChatGLM 的人工智能助手。你是基于智谱 AI 公司训练的语言模型 GLM-4 模型开发的，你的任务是针对用户的问题和要求提供适当的答复和支持。\n\n# 可用工具" +
    tools
      .map((raw) => {
        const tool = record(unwrap(raw, ""));
        return `\n\n## ${pyStr(tool.name)}\n\n${pythonJsonDumps(tool, 4)}\n在调用上述函数时，请使用 Json 格式表示调用的参数。`;
      })
      .join(""),
  calls: (calls) => {
    if (calls.length > 1) throw new TrainerRefusedError("LLaMA-Factory: GLM-4 does not support parallel functions.");
    return `${calls[0].name}\n${calls[0].arguments}`;
  },
};

const glm4Moe: ToolFormat = {
  tools: (tools) =>
    `\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>${qwenStyleToolList(tools)}` +
    "\n</tools>\n\nFor each function call, output the function name and arguments within the following XML format:\n<tool_call>{function-name}\n<arg_key>{arg-key-1}</arg_key>\n<arg_value>{arg-value-1}</arg_value>\n<arg_key>{arg-key-2}</arg_key>\n<arg_value>{arg-value-2}</arg_value>\n...\n</tool_call>\n",
  calls: (calls) =>
    calls
      .map(
        (call) =>
          `\n<tool_call>${call.name}` +
          Object.entries(args(call))
            .map(([key, value]) => `\n<arg_key>${key}</arg_key>\n<arg_value>${valueText(value)}</arg_value>`)
            .join(""),
      )
      .join("\n"),
};

const qwen35: ToolFormat = {
  tools: (tools) =>
    `\n\n# Tools\n\nYou have access to the following functions:\n\n<tools>${tools.map((tool) => `\n${pythonJsonDumps(unwrap(tool, tool))}`).join("")}` +
    "\n</tools>\n\nIf you choose to call a function ONLY reply in the following format with NO suffix:\n\n<tool_call>\n<function=example_function_name>\n<parameter=example_parameter_1>\nvalue_1\n</parameter>\n<parameter=example_parameter_2>\nThis is the value for the second parameter\nthat can span\nmultiple lines\n</parameter>\n</function>\n</tool_call>\n\n<IMPORTANT>\nReminder:\n- Function calls MUST follow the specified format: an inner <function=...></function> block must be nested within <tool_call></tool_call> XML tags\n- Required parameters MUST be specified\n- You may provide optional reasoning for your function call in natural language BEFORE the function call, but NOT after\n- If there is no function call available, answer the question like normal with your current knowledge and do not tell the user about function calls\n</IMPORTANT>",
  calls: (calls) =>
    calls
      .map(
        (call) =>
          `<tool_call>\n<function=${call.name}>` +
          Object.entries(args(call))
            .map(([key, value]) => `\n<parameter=${key}>\n${valueText(value)}\n</parameter>`)
            .join("") +
          "\n</function>\n</tool_call>",
      )
      .join("\n"),
};

const seedOss: ToolFormat = {
  tools: (tools) =>
    "system\nYou are Doubao, a helpful AI assistant. You may call one or more functions to assist with the user query.Tool List:\nYou are authorized to use the following tools (described in JSON Schema format). Before performing any task, you must decide how to call them based on the descriptions and parameters of these tools." +
    `\n${pythonJsonDumps(tools)}` +
    "\n工具调用请遵循如下格式:\n<seed:tool_call>\n<function=example_function_name>\n<parameter=example_parameter_1>value_1</parameter>\n<parameter=example_parameter_2>This is the value for the second parameter\nthat can span\nmultiple lines</parameter>\n</function>\n</seed:tool_call>\n",
  calls: (calls) =>
    calls
      .map(
        (call) =>
          `\n<seed:tool_call>\n<function=${call.name}` +
          Object.entries(args(call))
            .map(([key, value]) => `\n<parameter=${key}>${valueText(value)}</parameter>`)
            .join("") +
          "\n</function>\n</seed:tool_call>",
      )
      .join("\n"),
};

const ling: ToolFormat = {
  tools: (tools) =>
    `# Tools\n\nYou may call one or more functions to assist with the user query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>${qwenStyleToolList(tools)}` +
    '\n</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call>\ndetailed thinking off',
  calls: qwenFormat.calls,
};

const minimax1: ToolFormat = {
  tools: (tools) =>
    `You are provided with these tools:\n<tools>\n${tools.map((tool) => `${pythonJsonDumps(unwrap(tool, ""))}\n`).join("")}</tools>\n\n` +
    'If you need to call tools, please respond with <tool_calls></tool_calls> XML tags, and provide tool-name and json-object of arguments, following the format below:\n<tool_calls>\n{"name": <tool-name-1>, "arguments": <args-json-object-1>}\n...\n</tool_calls>',
  calls: (calls) =>
    `<tool_calls>\n${calls.map((call) => pythonJsonDumps({ name: call.name, arguments: JSON.parse(call.arguments) })).join("\n")}\n</tool_calls>`,
};

const minimax2: ToolFormat = {
  tools: (tools) =>
    `\n\n# Tools\n\nYou may call one or more tools to assist with the user query.\nHere are the tools available in JSONSchema format:\n\n<tools>\n${tools.map((tool) => `<tool>${pythonJsonDumps(unwrap(tool, ""))}</tool>\n`).join("")}</tools>\n\n` +
    'When making tool calls, use XML format to invoke tools and pass parameters:\n\n<minimax:tool_call>\n<invoke name="tool-name-1">\n<parameter name="param-key-1">param-value-1</parameter>\n<parameter name="param-key-2">param-value-2</parameter>\n...\n</invoke>\n</minimax:tool_call>',
  calls: (calls) =>
    calls
      .map(
        (call) =>
          `<invoke name="${call.name}">` +
          Object.entries(args(call))
            .map(([key, value]) => `\n<parameter name="${key}">${valueText(value)}</parameter>`)
            .join("") +
          "\n</invoke>",
      )
      .join("\n"),
};

const lfm2: ToolFormat = {
  tools: (tools) => `List of tools: <|tool_list_start|>${pythonJsonDumps(tools.map((tool) => unwrap(tool, tool)))}<|tool_list_end|>`,
  calls: (calls) =>
    `<|tool_call_start|>[${calls
      .map(
        (call) =>
          `${call.name}(${Object.entries(args(call))
            .map(([key, value]) => (typeof value === "string" ? `${key}="${value}"` : `${key}=${pythonJsonDumps(value)}`))
            .join(", ")})`,
      )
      .join(", ")}]<|tool_call_end|>`,
};

/** Gemma 4's value notation: strings in <|"|> quotes, mappings with sorted keys, lists in brackets. */
function gemmaArgument(value: unknown, escapeKeys: boolean): string {
  if (typeof value === "string") return `<|"|>${value}<|"|>`;
  if (typeof value === "boolean") return value ? "true" : "false";
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return `[${value.map((item) => gemmaArgument(item, escapeKeys)).join(",")}]`;
  if (typeof value === "object") {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${escapeKeys ? `<|"|>${key}<|"|>` : key}:${gemmaArgument((value as Record<string, unknown>)[key], escapeKeys)}`);
    return `{${entries.join(",")}}`;
  }
  return String(value);
}

const gemmaText = (value: unknown) => `<|"|>${pyStr(value)}<|"|>`;

const gemma4: ToolFormat = {
  tools: (tools) =>
    tools
      .map((raw) => {
        const fn = record(unwrap(raw, raw));
        let declaration = `declaration:${pyStr(fn.name)}{description:${gemmaText(Object.hasOwn(fn, "description") ? fn.description : "")}`;
        const params = record(fn.parameters);
        if (pythonTruthy(fn.parameters)) {
          const parts: string[] = [];
          if (pythonTruthy(params.properties)) {
            const properties = Object.entries(record(params.properties)).map(([name, schema]) => {
              const item = record(schema);
              const itemParts = [
                ...(pythonTruthy(item.description) ? [`description:${gemmaText(item.description)}`] : []),
                ...(pythonTruthy(item.type) ? [`type:${gemmaText(pyStr(item.type).toUpperCase())}`] : []),
              ];
              return `${name}:{${itemParts.join(",")}}`;
            });
            parts.push(`properties:{${properties.join(",")}}`);
          }
          if (pythonTruthy(params.required) && Array.isArray(params.required)) parts.push(`required:[${params.required.map(gemmaText).join(",")}]`);
          if (pythonTruthy(params.type)) parts.push(`type:${gemmaText(pyStr(params.type).toUpperCase())}`);
          declaration += `,parameters:{${parts.join(",")}}`;
        }
        const response = record(fn.response);
        if (pythonTruthy(fn.response)) {
          const parts = [...(pythonTruthy(response.description) ? [`description:${gemmaText(response.description)}`] : [])];
          if (pyStr(Object.hasOwn(response, "type") ? response.type : "").toUpperCase() === "OBJECT") parts.push(`type:${gemmaText("OBJECT")}`);
          declaration += `,response:{${parts.join(",")}}`;
        }
        return `${declaration}}`;
      })
      .join("\n"),
  calls: (calls) =>
    calls
      .map((call) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(call.arguments);
        } catch {
          parsed = call.arguments;
        }
        const body =
          typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
            ? Object.keys(parsed)
                .sort()
                .map((key) => `${key}:${gemmaArgument((parsed as Record<string, unknown>)[key], false)}`)
                .join(",")
            : typeof parsed === "string"
              ? parsed
              : gemmaArgument(parsed, false);
        return `<|tool_call>call:${call.name}{${body}}<tool_call|>`;
      })
      .join(""),
};

export const moreToolFormats: Record<string, ToolFormat> = {
  glm4,
  glm4_moe: glm4Moe,
  qwen3_5: qwen35,
  seed_oss: seedOss,
  ling,
  minimax1,
  minimax2,
  lfm2,
  gemma4,
};
