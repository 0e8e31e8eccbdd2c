import { Command, CommanderError } from "commander";
import { version } from "../../package.json";
import { lintCommand, LintOptions, UsageError } from "./lint";
import { statsCommand } from "./stats";

/** Commands whose implementation arrives with a later release; they fail clearly instead of pretending. */
const upcoming: Array<[string, string]> = [
  ["render", "render a row through a model's chat template, with tokens and training masks"],
  ["generate", "generate new entries with a local model"],
  ["critique", "critique existing entries with a local model"],
];

export function buildProgram(): Command {
  const program = new Command("instruct-studio")
    .description("Validate, inspect and improve instruction-tuning datasets (JSONL).")
    .version(version, "-v, --version")
    .showHelpAfterError()
    .exitOverride();
  program
    .command("lint")
    .description("check datasets; exit 1 when any error is found")
    .argument("<files...>", "JSONL files")
    .option("--json", "print one JSON array of diagnostics")
    .option("--config <training.yml>", "an Axolotl config: dataset type, field mapping, roles, sequence_len")
    .option("--tokenizer <dir|gguf>", "a tokenizer.json folder or a GGUF file, to find rows over the token limit")
    .option("--max-tokens <N>", "the token limit (default: the config's sequence_len)")
    .action(async (files: string[], options: LintOptions) => {
      process.exitCode = await lintCommand(files, options);
    });
  program
    .command("stats")
    .description("count rows, formats and characters of datasets")
    .argument("<files...>", "JSONL files")
    .option("--json", "print JSON")
    .action(async (files: string[], options: { json?: boolean }) => {
      process.exitCode = await statsCommand(files, options);
    });
  for (const [name, description] of upcoming) {
    program
      .command(name)
      .description(`${description} (not available in ${version})`)
      .allowUnknownOption()
      .allowExcessArguments()
      .action(() => {
        process.stderr.write(`instruct-studio ${name}: not available in version ${version} yet.\n`);
        process.exitCode = 2;
      });
  }
  return program;
}

async function main(): Promise<void> {
  // `instruct-studio lint big.jsonl | head`: a closed pipe ends the output, not with a crash.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`instruct-studio: ${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`instruct-studio: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
}

if (require.main === module) void main();
