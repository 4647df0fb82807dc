"""The fixed words of a printed receipt, in the shop's language (not the window's).

A receipt is read by the shop's clients, so its words follow the shop's locale from the
database (en, zh, ru), whatever language the person at the desk has chosen for the window.
One table, filled for every language a shop can be set up in; anything else gets English.
"""

from __future__ import annotations

from dataclasses import dataclass

from frontdesk.domain.checkout import PaymentMethod


@dataclass(frozen=True)
class ReceiptWords:
    """Words printed on every receipt; ``incl_tax`` is followed by the rate ("20%")."""

    receipt: str  # before the receipt number
    cashier: str
    client: str
    total: str
    incl_tax: str
    cash: str
    card: str
    change: str
    copy: str  # marks a reprint

    def payment(self, method: PaymentMethod) -> str:
        return {PaymentMethod.CASH: self.cash, PaymentMethod.CARD: self.card}[method]


#: By language. Wording as shops there print it: Russian receipts say "в т.ч. НДС" (of which
#: VAT) and "КОПИЯ"; Chinese 小票 give the number as 单号, the tax share as 其中税额 (of which
#: tax), and mark a reprint 补打 ("printed again"), the word Chinese tills print on one.
WORDS: dict[str, ReceiptWords] = {
    "en": ReceiptWords(
        receipt="Receipt",
        cashier="Cashier",
        client="Client",
        total="Total",
        incl_tax="incl. tax",
        cash="Cash",
        card="Card",
        change="Change",
        copy="COPY",
    ),
    "ru": ReceiptWords(
        receipt="Чек",
        cashier="Кассир",
        client="Клиент",
        total="Итого",
        incl_tax="в т.ч. НДС",
        cash="Наличные",
        card="Карта",
        change="Сдача",
        copy="КОПИЯ",
    ),
    "zh": ReceiptWords(
        receipt="单号",
        cashier="收银员",
        client="顾客",
        total="合计",
        incl_tax="其中税额",
        cash="现金",
        card="银行卡",
        change="找零",
        copy="补打",
    ),
}


def language_of(locale: str) -> str:
    """The language part of a shop locale: 'ru_RU' -> 'ru', 'zh-CN' -> 'zh'."""
    return locale.replace("-", "_").split("_", 1)[0].lower()


def receipt_words(locale: str) -> ReceiptWords:
    """The words for a shop locale such as 'ru_RU', 'zh_CN' or 'en_GB'; English otherwise."""
    return WORDS.get(language_of(locale), WORDS["en"])
