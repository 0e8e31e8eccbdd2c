import { Command, CommanderError } from "commander";
import { version } from "../../package.json";
import { lintCommand, LintOptions, UsageError } from "./lint";
import { renderCommand, RenderOptions } from "./render";
import { statsCommand, StatsOptions } from "./stats";
import { critiqueCommand, CritiqueCliOptions, defaultCritiqueConcurrency } from "./critique";
import { defaultRetryPolicy } from "../core/model/retryPolicy";
import { generateCommand, GenerateCliOptions } from "./generate";
import { ModelError } from "../core/model/backend";
import { modelDefaults } from "../core/model/modelDefaults";
import { defaultPreviewTimeoutSeconds } from "../core/training/trainingSettings";
import { escapeControls, watchStdout } from "./output";

export function buildProgram(): Command {
  const program = new Command("instruct-studio")
    .description("Validate, inspect and improve instruction-tuning datasets (JSONL).")
    .version(version, "-v, --version")
    .showHelpAfterError()
    .exitOverride();
  program
    .command("lint")
    .description("check datasets; exit 1 when any error is found")
    .argument("<files...>", "JSONL files (- for standard input)")
    .option("--json", "print one JSON array of diagnostics")
    .option("--config <training.yml>", "an Axolotl config: dataset type, field mapping, roles, sequence_len")
    .option("--tokenizer <dir|gguf>", "a tokenizer.json folder or a GGUF file, to find rows over the token limit")
    .option("--max-tokens <N>", "the token limit (default: the config's sequence_len)")
    .option("--rule <id=severity>", "set a rule's severity (off, error, warning, info, hint); repeatable", (value: string, previous: string[] = []) => [
      ...previous,
      value,
    ])
    .option("--rules <file.json>", "rule severities as in the instructStudio.rules setting; --rule wins")
    .option(
      "--dataset-info <dataset_info.json>",
      "read files as LLaMA-Factory's dataset_info.json says (formatting, columns, tags); default: one beside the file",
    )
    .option("--target <trainer>", "the trainer the dataset is for, where trainers disagree: axolotl, trl, llama-factory, openai")
    .option("--max-findings <N>", "print at most N findings per rule, then a per-rule summary (stderr with --json); the exit status counts them all")
    .action(async (files: string[], options: LintOptions) => {
      process.exitCode = await lintCommand(files, options);
    });
  program
    .command("stats")
    .description(
      "the training budget of a dataset (one or several files): tokens per row, trained tokens, rows over sequence_len, optimizer steps with and without packing",
    )
    .argument("<files...>", "JSONL files (- for standard input), one training set")
    .option("--tokenizer <dir|gguf>", "a tokenizer.json folder or a GGUF file (without it, counts are estimates)")
    .option("--template <name|file>", "a built-in template or a .jinja file (default: the config's, the tokenizer's, else ChatML)")
    .option("--config <axolotl.yml>", "an Axolotl config: sequence_len, sample_packing, batch sizes, epochs, warmup, field mapping")
    .option(
      "--axolotl <path>",
      "your Axolotl (package, checkout or its chat templates folder): the config's chat_template NAME renders with its NAME.jinja; default: the Axolotl python3 imports, else the built-in renderings",
    )
    .option("--gpus <N>", "GPUs of the run (Axolotl reads them from the environment; default 1)")
    .option("--target <trainer>", "whose text, ids and labels: axolotl, llama-factory or trl (default: what the config's keys say, else axolotl)")
    .option("--json", "print one object for the whole set, with a per-file breakdown")
    .action(async (files: string[], options: StatsOptions) => {
      process.exitCode = await statsCommand(files, options);
    });
  program
    .command("render")
    .description("render one row through a chat template: the exact text, its tokens and which of them are trained")
    .argument("<file>", "a JSONL file")
    .requiredOption("--line <N>", "the row's line number (from 1)")
    .requiredOption("--tokenizer <dir|gguf>", "a tokenizer.json folder or a GGUF file")
    .option(
      "--template <name|file>",
      "a built-in template (chatml, llama3, mistral, gemma, qwen3, deepseek, phi, exaone, alpaca, or one of Axolotl's names) or a .jinja file",
    )
    .option("--config <axolotl.yml>", "an Axolotl config: chat_template, field mapping, roles_to_train, train_on_eos, sequence_len")
    .option(
      "--axolotl <path>",
      "your Axolotl (package, checkout or its chat templates folder): the config's chat_template NAME renders with its NAME.jinja; default: the Axolotl python3 imports, else the built-in renderings",
    )
    .option("--json", "print {text, tokens, segments, trainableTokens, messages}")
    .option("--target <trainer>", "whose text, ids and labels: axolotl, llama-factory or trl (default: what the config's keys say, else axolotl)")
    .option("--timeout <seconds>", `stop a template that runs longer than this (default ${defaultPreviewTimeoutSeconds}, as in the editor)`)
    .action(async (file: string, options: RenderOptions) => {
      process.exitCode = await renderCommand(file, options);
    });
  const modelOption = "a .gguf model file or an OpenAI-compatible server URL (http://host:port/v1)";
  const timeoutHelp = `the longest one request to the model may take in all; past it the command stops with exit 2 (default ${modelDefaults.timeoutSeconds}: a large model on a CPU)`;
  program
    .command("generate")
    .description("generate new entries like the file's (Self-Instruct) with a model; exit 1 when none is accepted")
    .argument("<file>", "a JSONL dataset: its rows are the examples and its format the output's")
    .option(
      "--model <gguf|urls>",
      `${modelOption}; several URLs separated by commas spread the requests; with --batch-requests the model name the engine serves`,
    )
    .option("--count <N>", "how many entries to accept (with --batch-requests: how many requests to write)")
    .option(
      "--append",
      "add the accepted entries to the file as they are accepted (JSON Lines: appended in place behind its verified end, keeping lines others append meanwhile; a JSON array: before its closing bracket, at the end of the run)",
    )
    .option("--json", "print one JSON array of the accepted entries")
    .option("--seed <N>", "seed for example sampling and generation")
    .option("--concurrency <N>", "requests in flight at once (default 2; for a .gguf, parallel sequences of one context)")
    .option("--parallel <N>", "the same as --concurrency")
    .option("--retries <N>", `tries again after a failed request, with backoff and the server's Retry-After (default ${defaultRetryPolicy.attempts - 1})`)
    .option("--batch-requests <requests.jsonl>", "write --count OpenAI Batch API input lines (for vllm run-batch or OpenAI's Batch API), calling no model")
    .option("--batch-results <output.jsonl>", "read a batch job's output lines through the same filters as an online run")
    .option("--context-size <N>", "context tokens per sequence (default 8192)")
    .option("--cpu", "never use a GPU")
    .option("--timeout <seconds>", timeoutHelp)
    .action(async (file: string, options: GenerateCliOptions) => {
      process.exitCode = await generateCommand(file, options);
    });
  program
    .command("critique")
    .description(
      "critique rows with a model: a score from 1 to 5, a rationale and issues; one row (--line), or every row concurrently and resumably (exit 1 when a row has no result)",
    )
    .argument("<file>", "a JSONL dataset")
    .option("--line <N>", "one row's line number (from 1): print its critique")
    .option("--lines <A-B>", "only these lines (A-, -B also); default every row")
    .option(
      "--model <gguf|urls>",
      `${modelOption}; several URLs separated by commas spread the requests; with --batch-requests the model name the engine serves`,
    )
    .option("--concurrency <N>", `requests in flight at once (default ${defaultCritiqueConcurrency}; for a .gguf, parallel sequences of one context)`)
    .option(
      "--out <results.jsonl>",
      "write each result there as it arrives; run again with the same file to resume (rows whose content has a result are not asked again)",
    )
    .option("--retries <N>", `tries again after a failed request, with backoff and the server's Retry-After (default ${defaultRetryPolicy.attempts - 1})`)
    .option("--batch-requests <requests.jsonl>", "write OpenAI Batch API input lines (for vllm run-batch or OpenAI's Batch API), calling no model")
    .option("--batch-results <output.jsonl>", "read a batch job's output lines and write the results as an online run would")
    .option("--json", "with --line: print {score, rationale, issues}; with --out: print a summary object")
    .option("--context-size <N>", "context tokens per sequence (default 8192)")
    .option("--cpu", "never use a GPU")
    .option("--timeout <seconds>", timeoutHelp)
    .action(async (file: string, options: CritiqueCliOptions) => {
      process.exitCode = await critiqueCommand(file, options);
    });
  return program;
}

/** Runs the command in this process (`launch.ts` has already moved lint and stats to a child with a capped heap). */
export async function main(): Promise<void> {
  watchStdout();
  // Exit 1 means "errors found": anything unexpected must not look like it.
  const crash = (error: unknown) => {
    process.stderr.write(`instruct-studio: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  };
  process.on("uncaughtException", crash);
  process.on("unhandledRejection", crash);
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    if (error instanceof UsageError || error instanceof ModelError) {
      process.stderr.write(`instruct-studio: ${escapeControls(error.message)}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`instruct-studio: internal error: ${escapeControls(error instanceof Error ? error.message : String(error))}\n`);
    process.exitCode = 2;
  }
}

if (require.main === module) void main();
