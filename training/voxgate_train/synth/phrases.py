"""Texts to synthesize for a keyword: the keyword itself (with prosody-changing
punctuation), confusable phrases derived from it, and unrelated speech.

Confusables come from three sources: parts of the keyword (word and syllable
prefixes/suffixes), words that sound close to each keyword word (found by
phoneme edit distance over a dictionary, with espeak-ng as the pronouncer), and a
small built-in list of near rhymes."""

from __future__ import annotations

import difflib
import functools
import os
import re
import shutil
import subprocess

from ..errors import DataError

WORD_LISTS = ("/usr/share/dict/words", "/usr/share/dict/american-english")
#: English prose on every Debian system (base-files): a large, varied source of
#: sentences for the unknown class
PROSE_GLOB = "/usr/share/common-licenses/*"

#: near rhymes of words common in wake phrases, for machines without a dictionary
NEAR_RHYMES = {
    "hey": ["hay", "hi", "say", "they", "day", "way", "a"],
    "hi": ["high", "hey", "bye", "why"],
    "ok": ["okay then", "oh kay", "oh", "hokey"],
    "okay": ["oh kay", "o k", "croquet"],
    "computer": ["commuter", "compute", "computed", "competitor", "consumer"],
    "alexa": ["election", "alexis", "lexus", "a lexicon"],
    "jarvis": ["service", "nervous", "harvest", "davis"],
    "google": ["bugle", "noodle", "goggle", "frugal"],
    "siri": ["serious", "cereal", "theory", "sorry"],
    "assistant": ["insistent", "distant", "resistant", "assist"],
    "athena": ["arena", "athens", "a thinner", "marina"],
    "amelia": ["camellia", "a meal", "emilia", "ophelia"],
    "voxgate": ["box gate", "fox gate", "vox", "toll gate"],
    "stop": ["top", "shop", "stock", "step"],
    "go": ["no", "so", "goal", "grow"],
    "yes": ["yet", "guess", "less"],
    "no": ["know", "now", "go", "snow"],
    "on": ["an", "own", "done"],
    "off": ["of", "cough", "often"],
    "up": ["cup", "app", "pup"],
    "down": ["town", "done", "crown"],
    "left": ["lift", "laughed", "lest"],
    "right": ["write", "light", "bright", "rite"],
}

#: everyday speech that contains no keyword, for the unknown class
UNRELATED = [
    "what time is it",
    "turn on the lights in the kitchen",
    "set a timer for ten minutes",
    "how is the weather tomorrow",
    "play some music",
    "call my mother",
    "remind me to buy milk",
    "the quick brown fox jumps over the lazy dog",
    "I think we should leave a little earlier today",
    "could you pass me the salt please",
    "my train was late again this morning",
    "let's meet at the station at noon",
    "she sells sea shells by the sea shore",
    "the meeting has been moved to thursday",
    "please close the window",
    "where did I put my keys",
    "thank you very much",
    "good morning everyone",
    "I will be there in five minutes",
    "open the garage door",
    "that sounds like a great idea",
    "the children are playing in the garden",
    "we need to talk about the budget",
    "it's raining again",
    "how much does this cost",
    "the coffee is too hot",
    "can you hear me now",
    "I'm not sure about that",
    "turn the volume down",
    "next song",
    "read me the news",
    "what's on my calendar",
    "add eggs to the shopping list",
    "one two three four five",
    "six seven eight nine ten",
    "excuse me",
    "never mind",
    "see you later",
    "hello",
    "okay",
    "yes please",
    "no thanks",
    "the dog barked at the mailman",
    "a bird in the hand is worth two in the bush",
    "bring me a glass of water",
    "who won the game last night",
    "this is taking forever",
    "I forgot my password",
    "send a message to john",
    "the printer is out of paper",
]


@functools.lru_cache(maxsize=8)
def prose_sentences(
    keywords: tuple[str, ...], min_words: int = 4, max_words: int = 14, pattern: str = PROSE_GLOB
) -> tuple[str, ...]:
    """Sentences of the prose files (sorted, unique, normalised) that say no
    keyword: any sentence with a word that starts with a keyword's word of four
    or more letters is left out ("computers" too). () when there are none."""
    import glob

    stems = {w for k in keywords for w in normalize(k).split() if len(w) >= 4}
    whole = [normalize(k) for k in keywords]
    out = set()
    for path in sorted(glob.glob(pattern)):
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
        except OSError:
            continue
        for raw in re.split(r"[.;:!?()\[\]\n]{1,}\s*(?=[A-Z\n(])|\n\s*\n", text):
            sent = normalize(raw.replace("\n", " "))
            words = sent.split()
            if not min_words <= len(words) <= max_words:
                continue
            if any(w.startswith(st) for w in words for st in stems):
                continue
            if any(k and k in sent for k in whole):
                continue
            out.add(sent)
    return tuple(sorted(out))


_VOWELS = "aeiouy"
_ONSETS = ["b", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "w", "br", "st", "pl"]


@functools.lru_cache(maxsize=8)
def isolated_words(
    keywords: tuple[str, ...], min_len: int = 4, max_len: int = 12
) -> tuple[str, ...]:
    """Dictionary words to say alone, for the unknown class: a wake word is an
    isolated word too, so without these the model can learn "a lone word of
    about three syllables" instead of the keyword's sounds (a reduced run of
    v1.7's recipe gave the real Mycroft "athena" clips a median "computer"
    peak of 0.5, LibriSpeech 0.2). Words that start with a
    keyword's word of four or more letters, or are one, are left out, as in
    prose_sentences. () without a dictionary."""
    said = {w for k in keywords for w in normalize(k).split()}
    stems = {w for w in said if len(w) >= 4}
    return tuple(
        w for w in dictionary_words()
        if min_len <= len(w) <= max_len and w not in said
        and not any(w.startswith(st) for st in stems)
    )  # fmt: skip


def normalize(text: str) -> str:
    return " ".join(re.sub(r"[^a-z' ]+", " ", text.lower()).split())


def keyword_texts(keyword: str) -> list[str]:
    """The keyword as it would be written in different sentences: punctuation changes
    the prosody most engines give it (statement, call, question)."""
    kw = normalize(keyword)
    if not kw:
        raise DataError(f"keyword {keyword!r} has no letters")
    out = [kw, f"{kw.capitalize()}.", f"{kw.capitalize()}!", f"{kw}?"]
    words = kw.split()
    if len(words) > 1:
        out.append(f"{words[0].capitalize()}, {' '.join(words[1:])}.")
    return out


#: words people put before a wake word ("hey computer"); real recordings
#: often have one, and a model that only ever heard the keyword alone misses it
CARRIERS = ("hey", "hi", "ok", "okay")


def carrier_texts(keyword: str) -> list[str]:
    """The keyword after a carrier word, still last in the clip (its end is
    what the targets mark); none when the keyword already starts with one."""
    kw = normalize(keyword)
    if not kw:
        raise DataError(f"keyword {keyword!r} has no letters")
    if kw.split()[0] in CARRIERS:
        return []
    out = []
    for c in CARRIERS:
        out += [f"{c} {kw}", f"{c.capitalize()}, {kw}.", f"{c.capitalize()} {kw}!"]
    return out


def syllable_chunks(word: str) -> list[str]:
    """A spelling-based split into syllable-like chunks (consonants then vowels)."""
    return re.findall(rf"[^{_VOWELS}]*[{_VOWELS}]+(?:[^{_VOWELS}]+$)?", word) or [word]


def partial_phrases(keyword: str) -> list[str]:
    """Word-level and syllable-level prefixes and suffixes of the keyword."""
    words = normalize(keyword).split()
    out = []
    for i in range(1, len(words)):
        out += [" ".join(words[:i]), " ".join(words[i:])]
    last, first = syllable_chunks(words[-1]), syllable_chunks(words[0])
    for i in range(1, len(last)):  # the keyword cut short: "hey compu"
        out.append(" ".join(words[:-1] + ["".join(last[:i])]))
    for i in range(1, len(first)):  # the keyword entered late: "puter"
        out.append(" ".join(["".join(first[i:])] + words[1:]))
    return _unique(out, exclude=" ".join(words))


@functools.lru_cache(maxsize=1)
def dictionary_words() -> tuple[str, ...]:
    """Lower-case alphabetic words of the system word list (apt wamerican), or ()."""
    for path in WORD_LISTS:
        if os.path.isfile(path):
            with open(path, encoding="utf-8", errors="replace") as f:
                return tuple(
                    sorted({w.strip() for w in f if re.fullmatch(r"[a-z]{2,14}", w.strip())})
                )
    return ()


def phonemes(words: list[str]) -> dict[str, str]:
    """espeak-ng's phoneme spelling (Kirshenbaum, stress marks removed) of each word;
    {} when espeak-ng is missing. One process for the whole list."""
    if not words or shutil.which("espeak-ng") is None:
        return {}
    proc = subprocess.run(
        ["espeak-ng", "-q", "-x", "-v", "en-us"],
        input="\n".join(words).encode(),
        capture_output=True,
        check=False,
        timeout=120,
    )
    lines = proc.stdout.decode(errors="replace").splitlines()
    if proc.returncode != 0 or len(lines) != len(words):
        # espeak merged or split lines: ask word by word (slower, always aligned)
        lines = [
            subprocess.run(["espeak-ng", "-q", "-x", "-v", "en-us", w], capture_output=True)
            .stdout.decode(errors="replace")
            .strip()
            for w in words
        ]
    return {w: re.sub(r"[',\s]", "", p) for w, p in zip(words, lines, strict=True)}


def edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def sound_alikes(word: str, count: int = 6, vocabulary: tuple[str, ...] | None = None) -> list[str]:
    """Words that sound close to ``word`` but not the same: a spelling pre-filter over
    ``vocabulary`` (default: the system dictionary), then the smallest phoneme edit
    distance > 0. Homophones are left out: they would be positives."""
    vocab = dictionary_words() if vocabulary is None else vocabulary
    word = word.lower()
    shortlist = [w for w in difflib.get_close_matches(word, vocab, n=300, cutoff=0.5) if w != word]
    ph = phonemes([word, *shortlist])
    if word not in ph:
        return shortlist[:count]  # no pronouncer: spelling similarity alone
    target = ph[word]
    ranked = []
    for w in shortlist:
        d = edit_distance(target, ph.get(w, ""))
        if d > 0:
            ranked.append((d / max(len(target), 1), w))
    return [w for _, w in sorted(ranked)[:count]]


def onset_swaps(word: str) -> list[str]:
    """The word with its first consonant cluster replaced ("computer" -> "bomputer"):
    rhymes that may not be words, which is fine for a negative example."""
    m = re.match(rf"([^{_VOWELS}]*)(.+)", word)
    onset, rest = m.group(1), m.group(2)
    return [o + rest for o in _ONSETS if o != onset]


def confusable_phrases(keyword: str, count: int = 24, seed: int = 0) -> list[str]:
    """Phrases a detector for ``keyword`` should not fire on: parts of it, and the
    keyword with one word swapped for a sound-alike, a near rhyme or an onset swap,
    never a phrase that says the keyword whole. Deterministic; at most ``count``
    (parts first, then the closest swaps)."""
    import random

    words = normalize(keyword).split()
    out = partial_phrases(keyword)
    swaps = []
    dictionary = set(dictionary_words())
    for i, w in enumerate(words):
        alikes = sound_alikes(w) + NEAR_RHYMES.get(w, [])
        rhymes = [r for r in onset_swaps(w) if not dictionary or r in dictionary]
        rng = random.Random(f"{seed}:{w}")
        rng.shuffle(rhymes)
        for alt in alikes + rhymes[:3]:
            swaps.append(" ".join(words[:i] + [alt] + words[i + 1 :]))
    kw = " ".join(words)
    # A phrase that says the whole keyword first ("computers") is a keyword to a
    # streaming detector, which fires as the word ends: as a negative it would
    # teach the model to wait and to doubt every real keyword.
    said = [s for s in out + swaps if normalize(s).startswith(kw) or f" {kw}" in normalize(s)]
    return _unique([s for s in out + swaps if s not in said], exclude=kw)[:count]


def _unique(items, exclude: str) -> list[str]:
    seen, out = {exclude}, []
    for s in items:
        s = " ".join(s.split())
        if s and s not in seen:
            seen.add(s)
            out.append(s)
    return out
