"""A tiny GPT-2 built offline for end-to-end runs through lm-eval's ``hf`` backend.

Random weights (seeded), a byte-level BPE tokenizer trained with ``tokenizers`` on the
reference sample's text, and a chat template so ``--apply_chat_template`` works. Build it once
per session with the ``tiny_model`` fixture (import it into a test module)::

    from tests.tiny_model import tiny_model  # noqa: F401  (pytest fixture)
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REFERENCE_SAMPLE = Path(__file__).resolve().parent / "data" / "reference_sample.jsonl"
CHAT_TEMPLATE = (
    "{% for message in messages %}<|{{ message['role'] }}|>\n{{ message['content'] }}<|end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>\n{% endif %}"
)
SPECIAL_TOKENS = ("<|endoftext|>", "<|end|>", "<|user|>", "<|assistant|>", "<|system|>")


def _corpus() -> list[str]:
    lines = []
    for line in REFERENCE_SAMPLE.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        lines += [record["prompt"], record["correct_answer"]]
    return lines


def build_tiny_model(out: Path, *, vocab_size: int = 512, seed: int = 0) -> Path:
    """Write a tiny random GPT-2 with a locally trained tokenizer to ``out``; return ``out``."""
    import torch
    from tokenizers import ByteLevelBPETokenizer
    from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast

    out.mkdir(parents=True, exist_ok=True)
    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(_corpus(), vocab_size=vocab_size, min_frequency=2, special_tokens=list(SPECIAL_TOKENS))
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=bpe,
        bos_token="<|endoftext|>",
        eos_token="<|endoftext|>",
        unk_token="<|endoftext|>",
        pad_token="<|endoftext|>",
        model_max_length=1024,
    )
    tokenizer.chat_template = CHAT_TEMPLATE
    tokenizer.save_pretrained(out)

    torch.manual_seed(seed)
    config = GPT2Config(
        vocab_size=len(tokenizer),
        n_positions=1024,
        n_embd=32,
        n_layer=2,
        n_head=2,
        bos_token_id=tokenizer.eos_token_id,
        eos_token_id=tokenizer.eos_token_id,
    )
    GPT2LMHeadModel(config).save_pretrained(out)
    return out


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path of a tiny GPT-2 checkpoint (config, random weights, tokenizer, chat template)."""
    return build_tiny_model(tmp_path_factory.mktemp("tiny-gpt2"))
