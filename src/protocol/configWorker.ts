import type { TrainingConfig } from "../core/config/trainingConfig";

/** What the config worker (out/config-worker.js) answers for the path it is given. */
export type ConfigParsed = { config: TrainingConfig; error?: undefined } | { config?: undefined; error: string };
