"""A coarse wireless topic for each problem: the "by topic" breakdowns of dataset cards, notebooks and leaderboards.

A record's own ``topic`` field wins when a build provides one. Otherwise the first row of
:data:`TOPIC_KEYWORDS` with a keyword in the background or question names the topic. Acronyms
match case-sensitively as whole words (``RIS`` but not ``rise``); phrases match in any case.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Mapping

OTHER = "other"
# (topic, acronyms, phrases): the most specific topics first, since the first match wins.
TOPIC_KEYWORDS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("RIS", ("RIS", "IRS", "STAR-RIS"), ("reconfigurable intelligent surface", "intelligent reflecting surface", "metasurface")),
    ("ISAC / sensing", ("ISAC", "DFRC"), ("integrated sensing", "radar", "target detection")),
    ("UAV", ("UAV", "UAVs"), ("unmanned aerial", "drone")),
    ("NOMA", ("NOMA", "SIC"), ("non-orthogonal multiple access", "successive interference cancellation")),
    ("Visible light / optical", ("VLC", "FSO", "LED"), ("visible light", "optical wireless")),
    ("Satellite", ("LEO", "GEO"), ("satellite",)),
    ("Physical-layer security", (), ("secrecy", "eavesdropper", "wiretap")),
    ("Energy harvesting / WPT", ("SWIPT", "WPT"), ("energy harvesting", "wireless power transfer")),
    ("IoT / LPWAN", ("LoRa", "IoT", "LPWAN", "NB-IoT"), ("internet of things",)),
    ("Edge / cloud computing", ("MEC",), ("federated", "edge", "cloud", "offloading")),
    ("mmWave / THz", ("THz",), ("millimeter wave", "mmwave", "terahertz")),
    ("OFDM", ("OFDM", "OFDMA", "OTFS"), ("subcarrier",)),
    ("MIMO / beamforming", ("MIMO", "MISO", "SIMO"), ("beamform", "precod", "antenna array", "massive antenna")),
    ("Channel estimation", ("MMSE", "LMMSE"), ("channel estimation", "channel prediction", "pilot")),
    ("Interference / cellular", ("UE", "BS", "BSs"), ("interference", "base station", "cellular")),
    ("Learning / control", ("MARL", "DRL", "POMDP"), ("reinforcement learning", "neural network", "kalman")),
)


def topic_of(record: Mapping[str, Any]) -> str:
    """The record's topic: its own ``topic`` field, else the first keyword match, else ``other``."""
    own = record.get("topic") or (record.get("extra") or {}).get("topic")
    if isinstance(own, str) and own.strip():
        return own.strip()
    text = f"{record.get('background') or ''} {record.get('question_text') or ''}"
    for topic, pattern in _patterns():
        if pattern.search(text):
            return topic
    return OTHER


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    compiled = []
    for topic, acronyms, phrases in TOPIC_KEYWORDS:
        parts = []
        if acronyms:
            # whole-word acronym, case-sensitive
            parts.append(r"(?-i:\b(?:" + "|".join(map(re.escape, acronyms)) + r")\b)")
        if phrases:
            # phrase or word stem anywhere, any case
            parts.append("(?:" + "|".join(map(re.escape, phrases)) + ")")
        compiled.append((topic, re.compile("|".join(parts), re.IGNORECASE)))
    return tuple(compiled)
