import { Environment, Interpreter, parse, tokenize } from "@huggingface/jinja";

/** A model's chat template with the special tokens transformers passes to it as variables. */
export interface ChatTemplateSource {
  template: string;
  specialTokens: Record<string, string>;
}

export interface RenderOptions {
  tools?: unknown[];
  /** False for training data: the rendering ends with the last message. */
  addGenerationPrompt?: boolean;
  /** The clock `strftime_now` reads; fixed in tests. */
  now?: Date;
  /** Further template variables (enable_thinking, ...). */
  extra?: Record<string, unknown>;
}

/** A template's own `raise_exception(...)`, shown to the user as the template's message. */
export class TemplateRaisedError extends Error {}

/** More items than any chat template needs: a range this big is a runaway or hostile template. */
export const maxRangeItems = 1_000_000;

function range(start: number, stop?: number, step = 1): number[] {
  if (stop === undefined) [start, stop] = [0, start];
  if (step === 0) throw new Error("range() step must not be zero");
  const count = Math.max(0, Math.ceil((stop - start) / step));
  if (count > maxRangeItems) throw new Error(`range() of ${count} items: more than a chat template needs`);
  return Array.from({ length: count }, (_, i) => start + i * step);
}

const specialTokenKeys = ["bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token"];

/** tokenizer_config.json holds each special token as a string or as {"content": ...}. */
export function specialTokenText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  const content = typeof value === "object" && value !== null ? (value as { content?: unknown }).content : undefined;
  return typeof content === "string" ? content : undefined;
}

/** The special tokens of a tokenizer_config.json, as transformers passes them to templates. */
export function specialTokensOf(config: Record<string, unknown>): Record<string, string> {
  const specialTokens: Record<string, string> = {};
  for (const key of specialTokenKeys) {
    const content = specialTokenText(config[key]);
    if (content !== undefined) specialTokens[key] = content;
  }
  return specialTokens;
}

export function templateSourceFromConfig(config: Record<string, unknown>, template?: string): ChatTemplateSource {
  let chatTemplate = template ?? config.chat_template;
  // Some configs list several named templates; "default" is what apply_chat_template uses.
  if (Array.isArray(chatTemplate)) chatTemplate = (chatTemplate.find((t) => t?.name === "default") ?? chatTemplate[0])?.template;
  if (typeof chatTemplate !== "string") throw new Error("This tokenizer has no chat template");
  return { template: chatTemplate, specialTokens: specialTokensOf(config) };
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/** Python's strftime for the directives chat templates use (Llama 3.x: "%d %b %Y"). */
export function strftime(date: Date, format: string): string {
  return format.replace(/%([a-zA-Z%])/g, (whole, directive: string) => {
    switch (directive) {
      case "d":
        return pad(date.getDate());
      case "m":
        return pad(date.getMonth() + 1);
      case "Y":
        return String(date.getFullYear());
      case "y":
        return pad(date.getFullYear() % 100);
      case "b":
        return months[date.getMonth()].slice(0, 3);
      case "B":
        return months[date.getMonth()];
      case "a":
        return days[date.getDay()].slice(0, 3);
      case "A":
        return days[date.getDay()];
      case "H":
        return pad(date.getHours());
      case "M":
        return pad(date.getMinutes());
      case "S":
        return pad(date.getSeconds());
      case "j":
        return pad(Math.floor((date.getTime() - new Date(date.getFullYear(), 0, 1).getTime()) / 86_400_000) + 1, 3);
      case "%":
        return "%";
      default:
        return whole;
    }
  });
}

/**
 * Renders messages as transformers' `apply_chat_template(tokenize=False)` does: special tokens
 * as variables, `add_generation_prompt` false unless asked, the row's `tools`, and the globals
 * `raise_exception` and `strftime_now`. @huggingface/jinja applies trim_blocks and lstrip_blocks
 * as transformers configures Jinja2.
 */
/** Parsed templates by source: the preview renders one template for every prefix of a conversation. */
const parsedTemplates = new Map<string, ReturnType<typeof parse>>();

function parsedTemplate(template: string): ReturnType<typeof parse> {
  let program = parsedTemplates.get(template);
  if (!program) {
    program = parse(tokenize(template, { lstrip_blocks: true, trim_blocks: true }));
    if (parsedTemplates.size >= 16) parsedTemplates.clear();
    parsedTemplates.set(template, program);
  }
  return program;
}

export function renderChat(source: ChatTemplateSource, messages: unknown[], options: RenderOptions = {}): string {
  const program = parsedTemplate(source.template);
  const now = options.now ?? new Date();
  // The library's Template.render installs its own raise_exception (a plain Error) and a
  // strftime_now that reads the clock and the locale; these are transformers' semantics instead.
  const globals: Record<string, unknown> = {
    false: false,
    true: true,
    none: null,
    False: false,
    True: true,
    None: null,
    range,
    raise_exception: (message: string) => {
      throw new TemplateRaisedError(message);
    },
    strftime_now: (format: string) => strftime(now, format),
  };
  const variables: Record<string, unknown> = {
    ...source.specialTokens,
    messages,
    ...(options.tools ? { tools: options.tools } : {}),
    add_generation_prompt: options.addGenerationPrompt ?? false,
    ...options.extra,
  };
  const env = new Environment();
  for (const [name, value] of Object.entries({ ...globals, ...variables })) env.set(name, value);
  return withJinja2ForLoops(new Interpreter(env)).run(program).value as string;
}

type ForNode = { defaultBlock: unknown };
type FilterNode = { type: string; value?: string; callee?: { value?: string } };
interface InterpreterInternals {
  evaluateFor(node: ForNode, environment: Environment): unknown;
  evaluateBlock(block: unknown, environment: Environment): unknown;
  applyFilter(operand: { type: string }, filter: FilterNode, environment: Environment): unknown;
}

/** String filters that jinja2 applies to Undefined as to "" (it stringifies to nothing). */
const stringFilters = new Set(["trim", "upper", "lower", "title", "capitalize", "string", "length", "replace", "indent", "safe", "escape", "e"]);
/** The library's empty string value, made by rendering nothing (its value classes are not exported). */
let emptyStringValue: { type: string } | undefined;
const emptyString = () => (emptyStringValue ??= new Interpreter(new Environment()).run(parse(tokenize(""))) as unknown as { type: string });
/** The library's words for a loop over an undefined value; raised before the loop body runs, and only by the loop's own iterable (nested loops are bridged too). */
const undefinedLoop = "Expected iterable or object type in for loop: got UndefinedValue";

/**
 * jinja2's Undefined iterates as an empty sequence (a `{% for %}` over a missing property runs its
 * `else`) and string filters read it as "" (`| trim`), and the trainers' templates meet it on a turn
 * without content; @huggingface/jinja raises there instead. Those cases are bridged on the interpreter instance, whose evaluateFor and applyFilter are
 * not part of the library's typed API (checked by the chatTemplate tests, so a library update that renames it fails them).
 */
function withJinja2ForLoops(interpreter: Interpreter): Interpreter {
  const internals = interpreter as unknown as InterpreterInternals;
  const evaluateFor = internals.evaluateFor.bind(interpreter);
  internals.evaluateFor = (node, environment) => {
    try {
      return evaluateFor(node, environment);
    } catch (error) {
      if (!(error instanceof Error) || error.message !== undefinedLoop) throw error;
      return internals.evaluateBlock(node.defaultBlock, new Environment(environment));
    }
  };
  const applyFilter = internals.applyFilter.bind(interpreter);
  internals.applyFilter = (operand, filter, environment) => {
    const name = filter.type === "Identifier" ? filter.value : filter.callee?.value;
    return applyFilter(operand.type === "UndefinedValue" && name !== undefined && stringFilters.has(name) ? emptyString() : operand, filter, environment);
  };
  return interpreter;
}
