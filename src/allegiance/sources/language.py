"""Which language a document is in (py3langid, whose model ships in its wheel), and the check that
skips documents the English parser would code into nonsense.

A document is skipped only when the evidence is strong: at least `MIN_LETTERS` letters, the
accepted languages together below `MAX_ACCEPTED_PROB` for the whole text, and less than
`MIN_ACCEPTED_SHARE` of its letters in sentences that read as an accepted language (so an English
article quoting a French speaker at length, or full of foreign names, is kept).
"""
from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from typing import Any

from ..models import Document
from .base import ReadProblem

__all__ = ["DEFAULT_LANGUAGES", "detect_language", "check_language", "language_name", "check_codes"]

DEFAULT_LANGUAGES: tuple[str, ...] = ("en",)
SAMPLE_CHARS = 5000  # the language is judged on the document's start
MIN_LETTERS = 100  # shorter texts (headlines, one-line items) are never skipped: too little to judge
MAX_ACCEPTED_PROB = 0.1  # skip only when the accepted languages together are this unlikely …
MIN_ACCEPTED_SHARE = 0.25  # … and less than this share of the letters reads as an accepted language
_MIN_CHUNK_LETTERS = 40
# Languages read as a variety of an accepted one: English news from Nigeria is sometimes scored as
# Nigerian Pidgin, which the English parser reads about as well.
_KIN = {"en": ("pcm",)}
_NAMES = {
    "ace": "Acehnese", "af": "Afrikaans", "am": "Amharic", "an": "Aragonese", "ar": "Arabic",
    "ary": "Moroccan Arabic", "arz": "Egyptian Arabic", "as": "Assamese", "az": "Azerbaijani",
    "ba": "Bashkir", "bcl": "Central Bikol", "be": "Belarusian", "bg": "Bulgarian", "bn": "Bengali",
    "br": "Breton", "bs": "Bosnian", "ca": "Catalan", "crh": "Crimean Tatar", "cs": "Czech",
    "cy": "Welsh", "da": "Danish", "de": "German", "dz": "Dzongkha", "el": "Greek", "en": "English",
    "eo": "Esperanto", "es": "Spanish", "et": "Estonian", "eu": "Basque", "ext": "Extremaduran",
    "fa": "Persian", "fi": "Finnish", "fo": "Faroese", "fr": "French", "fuv": "Nigerian Fulfulde",
    "fy": "Western Frisian", "ga": "Irish", "gcf": "Guadeloupean Creole", "gcr": "Guianese Creole",
    "gd": "Scottish Gaelic", "gl": "Galician", "gom": "Goan Konkani", "grc": "Ancient Greek",
    "gu": "Gujarati", "gug": "Paraguayan Guarani", "guw": "Gun", "ha": "Hausa",
    "hbo": "Ancient Hebrew", "he": "Hebrew", "hi": "Hindi", "hr": "Croatian", "ht": "Haitian Creole",
    "hu": "Hungarian", "hy": "Armenian", "id": "Indonesian", "ig": "Igbo", "is": "Icelandic",
    "it": "Italian", "ja": "Japanese", "jv": "Javanese", "ka": "Georgian", "kab": "Kabyle",
    "kik": "Kikuyu", "kk": "Kazakh", "km": "Khmer", "kn": "Kannada", "ko": "Korean", "ku": "Kurdish",
    "ky": "Kyrgyz", "la": "Latin", "lb": "Luxembourgish", "lg": "Ganda", "lij": "Ligurian",
    "ln": "Lingala", "lo": "Lao", "lt": "Lithuanian", "ltg": "Latgalian", "lv": "Latvian",
    "mg": "Malagasy", "mk": "Macedonian", "ml": "Malayalam", "mn": "Mongolian", "mr": "Marathi",
    "ms": "Malay", "mt": "Maltese", "my": "Burmese", "ne": "Nepali", "nl": "Dutch",
    "nn": "Norwegian Nynorsk", "no": "Norwegian", "nso": "Northern Sotho", "oc": "Occitan",
    "om": "Oromo", "or": "Odia", "pa": "Punjabi", "pcm": "Nigerian Pidgin", "pl": "Polish",
    "ps": "Pashto", "pt": "Portuguese", "qu": "Quechua", "ro": "Romanian", "ru": "Russian",
    "rw": "Kinyarwanda", "sa": "Sanskrit", "sdh": "Southern Kurdish", "se": "Northern Sami",
    "si": "Sinhala", "sk": "Slovak", "sl": "Slovenian", "sn": "Shona", "so": "Somali",
    "sq": "Albanian", "sr": "Serbian", "st": "Southern Sotho", "sv": "Swedish", "sw": "Swahili",
    "ta": "Tamil", "te": "Telugu", "tg": "Tajik", "th": "Thai", "tk": "Turkmen", "tl": "Tagalog",
    "tr": "Turkish", "tt": "Tatar", "ug": "Uyghur", "uk": "Ukrainian", "ur": "Urdu", "uz": "Uzbek",
    "uzs": "Southern Uzbek", "vec": "Venetian", "vi": "Vietnamese", "vo": "Volapük", "wa": "Walloon",
    "wuu": "Wu Chinese", "xh": "Xhosa", "yo": "Yoruba", "yue": "Cantonese", "zh": "Chinese",
    "zu": "Zulu", "zxx": "no linguistic content",
}
_SENTENCE_END = re.compile(r"(?<=[.!?;:\u3002\u061f])\s+|\n+")
_identifier: Any = None
_lock = threading.Lock()


def language_name(code: str) -> str:
    """The English name of a language code (``'fr'`` → ``'French'``); the code itself if unknown."""
    return _NAMES.get(code, code)


def check_codes(languages: Sequence[str] | None) -> tuple[str, ...] | None:
    """``languages`` as a tuple, or ValueError naming a code the language model does not know."""
    if languages is None:
        return None
    if isinstance(languages, str):
        languages = [languages]
    codes = tuple(lang.strip().lower() for lang in languages)
    unknown = [c for c in codes if c not in _NAMES or c == "zxx"]
    if unknown:
        raise ValueError(f"unknown language code(s) {', '.join(map(repr, unknown))}: use ISO 639 codes "
                         "such as en, fr, es, ar")
    return codes


def _get_identifier() -> Any:
    global _identifier
    with _lock:
        if _identifier is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier  # lazy: ~1 s to load

            load = getattr(LanguageIdentifier, "from_model_file", None) or \
                LanguageIdentifier.from_pickled_model  # py3langid < 0.4
            _identifier = load(MODEL_FILE, norm_probs=True)
        return _identifier


def _letters(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha())


def detect_language(text: str) -> tuple[str, float] | None:
    """(language code, probability) of the start of ``text``; None when it has too few letters."""
    sample = text[:SAMPLE_CHARS]
    if _letters(sample) < MIN_LETTERS:
        return None
    ranked = _get_identifier().rank(sample)
    code, prob = next(((c, p) for c, p in ranked if c != "zxx"), ranked[0])
    return code, float(prob)


def _accepted(languages: Sequence[str]) -> set[str]:
    out = set(languages)
    for lang in languages:
        out.update(_KIN.get(lang, ()))
    return out


def _accepted_share(sample: str, accepted: set[str]) -> float:
    """The share of letters in sentence-sized chunks of ``sample`` that read as an accepted language."""
    ident = _get_identifier()
    chunks: list[str] = []
    buf = ""
    for part in _SENTENCE_END.split(sample):
        buf = f"{buf} {part}" if buf else part
        if _letters(buf) >= _MIN_CHUNK_LETTERS:
            chunks.append(buf)
            buf = ""
    if buf and chunks and _letters(buf) < _MIN_CHUNK_LETTERS:
        chunks[-1] += " " + buf
    elif buf:
        chunks.append(buf)
    total = ok = 0
    for chunk in chunks:
        n = _letters(chunk)
        total += n
        if ident.classify(chunk)[0] in accepted:
            ok += n
    return ok / total if total else 1.0


def check_language(doc: Document,
                   languages: Sequence[str] | None = DEFAULT_LANGUAGES) -> Document | ReadProblem:
    """``doc`` itself, or a skipped `ReadProblem` naming its language when it is confidently not one of
    ``languages`` (ISO 639 codes; None accepts every language)."""
    if not languages:
        return doc
    sample = doc.text[:SAMPLE_CHARS]
    if _letters(sample) < MIN_LETTERS:
        return doc
    accepted = _accepted(languages)
    ranked = _get_identifier().rank(sample)
    if sum(p for c, p in ranked if c in accepted) >= MAX_ACCEPTED_PROB:
        return doc
    code = next((c for c, _ in ranked if c != "zxx"), "zxx")
    if code == "zxx" or _accepted_share(sample, accepted) >= MIN_ACCEPTED_SHARE:
        return doc
    wanted = " or ".join(language_name(lang) for lang in languages)
    return ReadProblem(doc.origin or doc.id, f"language {code} ({language_name(code)}), not {wanted}",
                       skipped=True, reason=f"language {code}")
