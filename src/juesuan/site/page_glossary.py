"""The glossary across units: every term, and a page per term with each unit's wording."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from juesuan.site import urls
from juesuan.site.html import Markup, el, separated
from juesuan.site.pages import Block, Heading, Page
from juesuan.site.summary import Summary, pinyin_key, term_slug


@dataclass(frozen=True)
class Term:
    """A term merged across units: spellings and wordings with who uses them."""

    key: str
    spellings: Counter[str]
    wordings: dict[str, list[Summary]]
    sections: Counter[str] = field(default_factory=Counter)
    """The headings the units list the term under (empty: none)."""

    @property
    def section(self) -> str:
        """The heading most units list the term under; empty for a term of its own."""
        return self.sections.most_common(1)[0][0] if self.sections else ""

    @property
    def slug(self) -> str:
        """Anchor and page name."""
        return term_slug(self.key)

    @property
    def name(self) -> str:
        """The most common spelling."""
        return self.spellings.most_common(1)[0][0]

    def ranked(self) -> list[tuple[str, list[Summary]]]:
        """Wordings, the most used first; blank definitions last."""
        return sorted(self.wordings.items(), key=lambda w: (not w[0], -len(w[1]), w[0]))

    @property
    def users(self) -> int:
        """How many disclosures define the term."""
        return sum(len(v) for v in self.wordings.values())


def terms(summaries: Sequence[Summary]) -> list[Term]:
    """Every term, in pinyin order."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    wordings: dict[str, dict[str, list[Summary]]] = defaultdict(lambda: defaultdict(list))
    sections: dict[str, Counter[str]] = defaultdict(Counter)
    for summary in summaries:
        for use in summary.terms:
            spellings[use.key][use.term] += 1
            wordings[use.key][use.definition].append(summary)
            sections[use.key][use.section] += 1
    merged = [
        Term(
            k, spellings[k], dict(wordings[k]), Counter({s: n for s, n in sections[k].items() if s})
        )
        for k in spellings
    ]
    return sorted(merged, key=lambda t: pinyin_key(t.name))


def _entries(page: str, listed: Sequence[Term]) -> list[Markup]:
    items: list[Markup] = []
    for term in listed:
        wording, users = term.ranked()[0]
        items += [
            el(
                "dt",
                {"id": term.slug},
                el("a", {"href": urls.relative(page, urls.glossary_term(term.slug))}, term.name),
            ),
            el(
                "dd",
                {},
                wording,
                el(
                    "span",
                    {"class": "js-more"},
                    f" —— {len(users)}/{term.users} 份决算如此表述，共 {len(term.wordings)} 种表述",
                ),
            ),
        ]
    return items


def glossary_index(all_terms: Sequence[Term]) -> Page:
    """Every term with its most common wording, in pinyin order; each anchored for linking.

    Entries the units list under a heading (本部门使用的支出功能分类科目) follow,
    under that heading.
    """
    page = urls.GLOSSARY
    own = [t for t in all_terms if not t.section]
    sections: dict[str, list[Term]] = defaultdict(list)
    for term in all_terms:
        if term.section:
            sections[term.section].append(term)
    blocks: list[Block] = [
        Heading(1, "名词解释", "top"),
        el(
            "p",
            {},
            f"各单位决算“名词解释”中的 {len(all_terms)} 个术语，按拼音排列。每个术语列出"
            "最常见的表述；点术语查看各单位的原文表述。",
        ),
        el("dl", {"class": "js-glossary"}, _entries(page, own)),
    ]
    for index, heading in enumerate(sorted(sections, key=pinyin_key), start=1):
        blocks += [
            Heading(2, heading, f"s{index}"),
            el("dl", {"class": "js-glossary"}, _entries(page, sections[heading])),
        ]
    return Page(page, "名词解释", tuple(blocks), description="部门决算名词解释，各单位表述对照")


def term_page(term: Term) -> Page:
    """One term: each wording and the disclosures that use it."""
    page = urls.glossary_term(term.slug)
    blocks: list[Block] = [
        Heading(1, term.name, "top"),
        el(
            "p",
            {},
            f"{term.users} 份决算解释了此术语，共 {len(term.wordings)} 种表述。",
            "其他写法：" + "、".join(s for s in term.spellings if s != term.name)
            if len(term.spellings) > 1
            else "",
        ),
    ]
    for index, (wording, users) in enumerate(term.ranked(), start=1):
        blocks += [
            Heading(2, f"表述 {index}（{len(users)} 份决算）", f"w{index}"),
            el("blockquote", {}, wording),
            el(
                "p",
                {"class": "js-users"},
                separated(
                    el(
                        "a",
                        {"href": urls.relative(page, urls.disclosure(s.slug, s.year))},
                        f"{s.unit} {s.year}",
                    )
                    for s in sorted(users, key=lambda s: (s.unit, s.year))
                ),
            ),
        ]
    return Page(
        page,
        f"{term.name}（名词解释）",
        tuple(blocks),
        description=f"名词解释：{term.name}",
        trail=(("首页", urls.HOME), ("名词解释", urls.GLOSSARY)),
    )
