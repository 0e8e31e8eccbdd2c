// `node --expose-gc out/bench/scale-only.js`: just the dataset-scale figures (about 20 seconds).
import { datasetScale } from "./datasetScaleBench";

void datasetScale().then((figures) => console.log(JSON.stringify(figures, null, 2)));
