"""The safety gate's rule: does a client's allergy or contraindication match a tag of a service
or product? (Pure: the services read the client's entries and the tags and ask here.)

A client's entry names a listed allergen by its code (domain/health.py ALLERGENS) or is free
text; a tag is free text typed in the catalogue, of kind "ingredient" or "contraindication".
They match when
- the tag is the allergen's code, or names it (its English name or one of its parts -- "shea" in
  "Nuts (almond, macadamia, shea)" -- or a Chinese or Russian name below) within the tag's words;
- or, for free text, one side's words appear in the other's, folded (case, accents, width) with
  word endings allowed ("орехи" / "орехов", "almond" / "almonds"); Chinese and Japanese text,
  which has no spaces, matches when one contains the other (two characters at least).
Both kinds of entry are checked against both kinds of tag: a false alarm costs a reason typed,
a miss costs a reaction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from frontdesk.domain.health import allergen, fold

#: Names of listed allergens in the shop's other languages, so a catalogue typed in Chinese or
#: Russian is matched against a client's listed allergen. Word stems are enough for Russian.
OTHER_NAMES: dict[str, tuple[str, ...]] = {
    "nuts": ("坚果", "杏仁", "乳木果", "夏威夷果", "орех", "миндаль", "макадамия", "масло ши"),
    "lanolin": ("羊毛脂", "ланолин"),
    "fragrance": ("香精", "香料", "香水", "отдушка", "парфюм", "ароматизатор"),
    "ppd": ("染发剂", "对苯二胺", "краска для волос", "парафенилендиамин"),
    "latex": ("乳胶", "латекс"),
    "essential_oils": ("精油", "эфирное масло", "эфирные масла"),
    "nickel": ("镍", "никель"),
    "acrylates": ("丙烯酸", "甲基丙烯酸", "акрилат"),
    "formaldehyde": ("甲醛", "формальдегид"),
    "parabens": ("防腐剂", "尼泊金", "парабен", "консервант"),
    "salicylic_acid": ("水杨酸", "阿司匹林", "салициловая кислота", "аспирин"),
    "aha": ("果酸", "甘醇酸", "乙醇酸", "乳酸", "фруктовые кислоты", "гликолевая кислота"),
    "wax_resin": ("蜂蜡", "松香", "воск", "канифоль"),
    "henna": ("指甲花", "海娜", "хна"),
    "lash_glue": ("睫毛胶", "клей для ресниц"),
    "seafood_iodine": ("海鲜", "碘", "海藻", "морепродукты", "йод", "водоросли"),
    "soy": ("大豆", "黄豆", "соя"),
    "gluten_wheat": ("小麦", "麸质", "пшеница", "глютен"),
    "pregnancy": ("怀孕", "孕妇", "孕期", "беременность"),
    "high_blood_pressure": ("高血压", "гипертония", "высокое давление"),
    "recent_surgery": ("手术", "операция"),
    "heart_condition": ("心脏病", "起搏器", "сердце", "кардиостимулятор"),
    "diabetes": ("糖尿病", "диабет"),
    "epilepsy": ("癫痫", "эпилепсия"),
    "blood_thinners": ("抗凝", "антикоагулянт"),
    "retinoids": ("维A酸", "视黄醇", "异维A酸", "ретиноид", "ретинол", "роаккутан"),
    "skin_condition": ("湿疹", "银屑病", "破损皮肤", "экзема", "псориаз"),
    "varicose_veins": ("静脉曲张", "血栓", "варикоз", "тромбоз"),
    "cancer_treatment": ("癌症", "化疗", "онкология", "химиотерапия"),
    "recent_sunburn": ("晒伤", "солнечный ожог", "загар"),
    "metal_implants": ("金属植入物", "металлические импланты"),
}

_WORD = re.compile(r"\w+")
_PARTS = re.compile(r"[(),/;]| or ")
#: Letters a word ending may change ("орехи" / "орехов"): vowels and soft signs.
_ENDING = frozenset("aeiouyаеёиоуыэюяйь")


@dataclass(frozen=True)
class HealthFlag:
    """A client's allergy or contraindication as the gate sees it: `code` for a listed
    allergen ("" for free text) and `text` (the free text, or the allergen's English name)."""

    kind: str  # "allergy" | "contraindication"
    code: str
    text: str
    severity: str = "moderate"


@dataclass(frozen=True)
class ItemTag:
    """A tag of a service or product: `kind` "ingredient" or "contraindication"."""

    kind: str
    tag: str


def _is_cjk(ch: str) -> bool:
    return (
        "\u2e80" <= ch <= "\u9fff"
        or "\u3040" <= ch <= "\u30ff"
        or "\uac00" <= ch <= "\ud7af"
        or "\uf900" <= ch <= "\ufaff"
    )


def _has_cjk(text: str) -> bool:
    return any(_is_cjk(ch) for ch in text)


def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(fold(text).replace("_", " ")))


def _same_word(a: str, b: str) -> bool:
    """One word, allowing for endings: equal, one a prefix (3+ letters) of the other but a few
    letters longer, or a long common stem ("орехи" / "орехов")."""
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) >= 3 and long_.startswith(short) and len(long_) - len(short) <= 4:
        return True
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    return common >= 4 and len(long_) - common <= 4 and all(ch in _ENDING for ch in short[common:])


def _within(needle: tuple[str, ...], hay: tuple[str, ...]) -> bool:
    """`needle`'s words appear, in order and together, among `hay`'s."""
    if not needle or len(needle) > len(hay):
        return False
    return any(
        all(_same_word(n, h) for n, h in zip(needle, hay[i : i + len(needle)], strict=True))
        for i in range(len(hay) - len(needle) + 1)
    )


def _cjk_within(needle: str, hay: str) -> bool:
    a, b = "".join(fold(needle).split()), "".join(fold(hay).split())
    return bool(a) and (a == b or (len(a) >= 2 and a in b))


def text_names(term: str, tag: str) -> bool:
    """Whether `term` (a name of the allergen) is named within `tag`."""
    if _has_cjk(term) or _has_cjk(tag):
        return _cjk_within(term, tag)
    return _within(_words(term), _words(tag))


def text_match(a: str, b: str) -> bool:
    """Folded free-text match, either way round."""
    return text_names(a, b) or text_names(b, a)


def _code_terms(code: str) -> tuple[str, ...]:
    listed = allergen(code)
    parts: list[str] = [code.replace("_", " ")]
    if listed is not None:
        parts.append(listed.name)
        parts.extend(p.strip() for p in _PARTS.split(listed.name) if p.strip())
    parts.extend(OTHER_NAMES.get(code, ()))
    return tuple(parts)


def matches(flag: HealthFlag, tag: ItemTag) -> bool:
    """Whether the client's `flag` matches the item's `tag`."""
    if not tag.tag.strip():
        return False
    if flag.code:
        if fold(tag.tag).replace(" ", "_") == flag.code:
            return True
        return bool(any(text_names(term, tag.tag) for term in _code_terms(flag.code)))
    return bool(flag.text.strip()) and text_match(flag.text, tag.tag)


def find_matches(
    flags: Iterable[HealthFlag], tags: Iterable[ItemTag]
) -> tuple[tuple[HealthFlag, ItemTag], ...]:
    """Every (flag, tag) pair that matches, in the order given."""
    tag_list = tuple(tags)
    return tuple((f, t) for f in flags for t in tag_list if matches(f, t))
