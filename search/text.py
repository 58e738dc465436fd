"""Turning listing text and buyers' queries into words PostgreSQL can index.

PostgreSQL's parser splits text on spaces and punctuation, which is right for English and wrong
for Chinese, where words are not separated. So Chinese runs are segmented by jieba first: in
*search mode* for documents (韩版修身连衣裙 → 韩版 修身 连衣 衣裙 连衣裙, every dictionary word and
its shorter words, plus every dictionary word inside it, so 龙井茶叶 also has 茶叶 although it is
cut 龙井茶 / 叶) and in precise mode for queries (连衣裙), each query word also matching its own
shorter words when the document's segmentation differed. Everything is NFKC-normalised (full-width
letters and digits become ASCII), lower-cased and stripped of accents (café → cafe) on both sides;
English stemming is PostgreSQL's (``english`` configuration: cups → cup).
"""

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import jieba

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUNS = re.compile(rf"([{CJK}]+)")
_LATIN_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
_LETTER_DIGIT = re.compile(r"(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[a-z])")
_IS_CJK = re.compile(rf"[{CJK}]")


@cache
def _jieba() -> jieba.Tokenizer:
    jieba.setLogLevel(60)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def normalise(text: str) -> str:
    """NFKC, lower case, no accents, single spaces."""
    text = unicodedata.normalize("NFKC", text).lower()
    stripped = "".join(
        char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char)
    )
    return " ".join(unicodedata.normalize("NFC", stripped).split())


def _latin_words(run: str) -> Iterator[str]:
    for word in _LATIN_WORD.findall(run):
        # iphone15 → iphone 15, so a buyer typing "iphone 15" finds it.
        yield from _LETTER_DIGIT.split(word)


def _chinese_words(run: str, *, search_mode: bool) -> Iterator[str]:
    tokenizer = _jieba()
    if not search_mode:
        yield from (word for word in tokenizer.cut(run) if word.strip())
        return
    # Search mode, plus every dictionary word inside the run (full mode): 龙井茶叶 is cut
    # 龙井茶 / 叶, yet a buyer searching 茶叶 must find it.
    seen: set[str] = set()
    for word in [*tokenizer.cut_for_search(run), *tokenizer.cut(run, cut_all=True)]:
        if word.strip() and word not in seen:
            seen.add(word)
            yield word


def words(text: str, *, search_mode: bool = True) -> list[str]:
    """The words of a text, in order: Chinese segmented, Latin split on non-letters."""
    result: list[str] = []
    for index, run in enumerate(_RUNS.split(normalise(text))):
        if index % 2:
            result.extend(_chinese_words(run, search_mode=search_mode))
        else:
            result.extend(_latin_words(run))
    return result


def document_text(text: str) -> str:
    """Text for ``to_tsvector``: the words separated by spaces."""
    return " ".join(words(text))


def characters(text: str) -> list[str]:
    """The distinct Chinese characters of a text: indexed with a title, so a one-character query
    (茶, 鞋) finds every title with that character in any word."""
    return list(dict.fromkeys(_IS_CJK.findall(normalise(text))))


def is_latin(word: str) -> bool:
    return not _IS_CJK.search(word)


@dataclass(frozen=True)
class QueryWord:
    """One word of a query; a document matches it when it has the word or all of its parts."""

    text: str
    parts: tuple[str, ...] = ()

    @property
    def is_latin(self) -> bool:
        return is_latin(self.text)


def query_words(text: str) -> list[QueryWord]:
    """The words of a buyer's query (precise segmentation), each with its search-mode parts."""
    result: list[QueryWord] = []
    seen: set[str] = set()
    for word in words(text, search_mode=False):
        if word in seen:
            continue
        seen.add(word)
        parts: tuple[str, ...] = ()
        if not is_latin(word) and len(word) > 2:
            pieces = [piece for piece in _jieba().cut_for_search(word) if piece != word]
            parts = tuple(dict.fromkeys(pieces))
        result.append(QueryWord(word, parts))
    return result
