/**
 * The Python that "Check with My Trainer" runs: the trainer's own preprocessing on one row, in the
 * user's interpreter, started isolated (`-I`) in an empty folder of ours, so nothing from the
 * dataset's folder is imported. It reads one JSON request on standard input and prints one JSON
 * answer: {trainer, version, input_ids, labels, tokens}, {dropped}, or {error, missing?}. TRL: the lines of
 * SFTTrainer.__init__ that decide completion_only_loss and the training template, then
 * _prepare_dataset on a bare trainer (no model is loaded), then Unsloth's train_on_responses_only where
 * the config asks for it. LLaMA-Factory: its DatasetAttr, converter,
 * get_template_and_fix_tokenizer and SupervisedDatasetProcessor. Axolotl: its chat_template
 * strategy's tokenize_prompt, loaded from the config as its dataset loading loads it.
 */
export const trainerCheckScript = String.raw`
import json, os, site, sys
user_site = site.getusersitepackages()
if isinstance(user_site, str) and os.path.isdir(user_site) and user_site not in sys.path:
    sys.path.append(user_site)
request = json.loads(sys.stdin.read())
trainer = request["trainer"]
# Trainers print progress and logs to standard output: only the answer goes there.
answer_out, sys.stdout = sys.stdout, sys.stderr

def answer(value):
    answer_out.write(json.dumps(value))
    answer_out.flush()
    sys.exit(0)

def trl_check():
    try:
        import trl
        from datasets import Dataset
        from transformers import AutoTokenizer
        from trl import SFTConfig, SFTTrainer
        from trl.chat_template_utils import get_training_chat_template, has_generation_markers
        from trl.data_utils import is_conversational
    except ImportError as error:
        answer({"error": str(error), "missing": True})
    import logging
    logging.disable(logging.WARNING)
    tokenizer = AutoTokenizer.from_pretrained(request["tokenizer"])
    if request.get("chat_template") is not None:
        tokenizer.chat_template = request["chat_template"]
    args = SFTConfig(output_dir=os.getcwd(), report_to=[], use_cpu=True, bf16=False, **request["config"])
    row = request["row"]
    sft = SFTTrainer.__new__(SFTTrainer)
    sft._tokenizer = tokenizer
    sft.completion_only_loss = ("prompt" in row and "completion" in row) if args.completion_only_loss is None else args.completion_only_loss
    sft.chat_template = None
    if args.assistant_only_loss and not is_conversational(row):
        raise ValueError("You set assistant_only_loss=True, but the dataset is not conversational.")
    if args.assistant_only_loss and not has_generation_markers(tokenizer.chat_template):
        sft.chat_template = get_training_chat_template(tokenizer)
    dataset = sft._prepare_dataset(Dataset.from_list([row]), tokenizer, args, args.packing, None, "train")
    if len(dataset) == 0:
        answer({"trainer": "TRL", "version": trl.__version__, "dropped": True})
    responses_only = request.get("responses_only")
    name, version = "TRL", trl.__version__
    mask = None
    if responses_only is not None:
        try:
            import unsloth_zoo
            from unsloth_zoo.dataset_utils import train_on_responses_only
        except ImportError as error:
            answer({"error": f"Unsloth (unsloth_zoo) is not installed there: {error}", "missing": True})
        mask = train_on_responses_only(None, tokenizer=tokenizer, return_function=True, **responses_only)
        name, version = "TRL with Unsloth", f"{trl.__version__} with unsloth_zoo {getattr(unsloth_zoo, '__version__', '')}"
    if len(dataset) == 0:
        answer({"trainer": name, "version": version, "dropped": True})
    example = dataset[0]
    ids = list(example["input_ids"])
    labels = list(example["labels"])
    if mask is not None:
        labels = list(mask({"input_ids": [ids], "labels": [labels]})["labels"][0])
        if all(label == -100 for label in labels):
            answer({"trainer": name, "version": version, "dropped": True})
    answer({"trainer": name, "version": version, "input_ids": ids, "labels": labels, "tokens": tokenizer.convert_ids_to_tokens(ids)})

def llama_factory_check():
    try:
        import llamafactory
        from transformers import AutoTokenizer
        from llamafactory.data.converter import get_dataset_converter
        from llamafactory.data.parser import DatasetAttr
        from llamafactory.data.processor.supervised import SupervisedDatasetProcessor
        from llamafactory.data.template import get_template_and_fix_tokenizer
        from llamafactory.hparams import DataArguments
    except ImportError as error:
        answer({"error": str(error), "missing": True})
    tokenizer = AutoTokenizer.from_pretrained(request["tokenizer"])
    data_args = DataArguments(**request["config"])
    template = get_template_and_fix_tokenizer(tokenizer, data_args)
    attr = DatasetAttr("file", dataset_name="row")
    attr.join(request.get("dataset_info") or {})
    converted = get_dataset_converter(attr.formatting, attr, data_args)(dict(request["row"]))
    processor = SupervisedDatasetProcessor(template=template, tokenizer=tokenizer, processor=None, data_args=data_args)
    inputs = processor.preprocess_dataset({k: [v] for k, v in converted.items()})
    version = getattr(llamafactory, "__version__", "")
    if len(inputs["input_ids"]) == 0:
        answer({"trainer": "LLaMA-Factory", "version": version, "dropped": True})
    ids = inputs["input_ids"][0]
    answer({"trainer": "LLaMA-Factory", "version": version, "input_ids": ids, "labels": inputs["labels"][0], "tokens": tokenizer.convert_ids_to_tokens(ids)})

def axolotl_check():
    try:
        import axolotl
        from transformers import AutoTokenizer
        from axolotl.prompt_strategies.chat_template import load
        from axolotl.utils.dict import DictDefault
    except ImportError as error:
        answer({"error": str(error), "missing": True})
    import logging
    logging.disable(logging.WARNING)
    cfg = DictDefault(request["config"])
    dataset = cfg.datasets[0]
    if dataset.get("type") != "chat_template":
        answer({"error": f"Check with My Trainer runs Axolotl's chat_template strategy; this dataset's type is {dataset.get('type')!r}."})
    tokenizer = AutoTokenizer.from_pretrained(request["tokenizer"])
    strategy = load(tokenizer, cfg, dataset)
    out = strategy.tokenize_prompt(dict(request["row"]))
    ids = list(out["input_ids"])
    answer({"trainer": "Axolotl", "version": getattr(axolotl, "__version__", ""), "input_ids": ids, "labels": list(out["labels"]), "tokens": tokenizer.convert_ids_to_tokens(ids)})

checks = {"trl": lambda: trl_check(), "llama-factory": lambda: llama_factory_check(), "axolotl": lambda: axolotl_check()}
try:
    checks[trainer]()
except Exception as error:
    answer({"error": f"{type(error).__name__}: {error}"})
`;
