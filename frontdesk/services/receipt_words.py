"""The fixed words of what the shop prints, in the shop's language (not the window's).

Receipts and the end-of-day PDF are read by the shop's clients, owner and accountant, so
their words follow the shop's locale from the database (en, zh, ru), whatever language the
person at the desk has chosen for the window. One table, filled for every language a shop can
be set up in; anything else gets English. Dates and amounts come from babel in the same locale.
"""

from __future__ import annotations

from dataclasses import dataclass

from frontdesk.domain.checkout import PaymentMethod
from printing.day_report_data import DayReportLabels


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
    rounding: str = "Rounding"  # the shop's cash rounding, a line above the total
    points_earned: str = "Points earned"  # loyalty points of this sale
    points_balance: str = "Points balance"  # the client's points after it

    def payment(self, method: PaymentMethod) -> str:
        return {PaymentMethod.CASH: self.cash, PaymentMethod.CARD: self.card}[method]


@dataclass(frozen=True)
class ReportWords:
    """Words of the end-of-day PDF; ``{date}``, ``{when}``, ``{name}`` are filled in."""

    title: str  # {date}: the day, written out in full
    generated: str  # {when}: date and time; {name}: who asked for the report
    sales_count: str
    gross: str
    tax: str
    average: str
    cash_expected: str
    labels: DayReportLabels  # headings, column labels, "Page 1 of 2"
    sales_header: tuple[str, str, str, str, str, str]  # No., Time, Client, Therapist, Method, Total
    empty: str


@dataclass(frozen=True)
class ShopWords:
    """Everything the shop prints in one language; payment methods read alike on both."""

    receipt: ReceiptWords
    report: ReportWords

    def payment(self, method: PaymentMethod) -> str:
        return self.receipt.payment(method)


#: By language. Wording as shops there print it: Russian receipts say "в т.ч. НДС" (of which
#: VAT) and "КОПИЯ"; Chinese 小票 give the number as 单号, the tax share as 其中税额 (of which
#: tax), and mark a reprint 补打 ("printed again"), the word Chinese tills print on one.
RECEIPT_WORDS: dict[str, ReceiptWords] = {
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
        rounding="Округление",
        points_earned="Начислено баллов",
        points_balance="Баланс баллов",
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
        rounding="舍入调整",
        points_earned="本次积分",
        points_balance="积分余额",
    ),
}


#: Russian reports say выручка (takings), средний чек, мастер; Chinese 日结报表 say 营业额,
#: 客单价, 技师 and 钱箱 for the drawer.
REPORT_WORDS: dict[str, ReportWords] = {
    "en": ReportWords(
        title="End of day — {date}",
        generated="Generated {when} by {name}",
        sales_count="Sales",
        gross="Gross takings",
        tax="of which tax",
        average="Average sale",
        cash_expected="Cash expected in drawer",
        labels=DayReportLabels(),
        sales_header=("No.", "Time", "Client", "Therapist", "Method", "Total"),
        empty="No sales were recorded on this day.",
    ),
    "ru": ReportWords(
        title="Отчёт за день — {date}",
        generated="Сформирован {when}, сотрудник: {name}",
        sales_count="Количество продаж",
        gross="Выручка",
        tax="в т.ч. НДС",
        average="Средний чек",
        cash_expected="Наличных в кассе должно быть",
        labels=DayReportLabels(
            summary="Итоги",
            by_payment_method="По способам оплаты",
            payment_columns=("Способ оплаты", "Платежей", "Сумма"),
            by_therapist="По мастерам",
            therapist_columns=("Мастер", "Услуг", "Сумма"),
            sales="Продажи",
            page="Страница {page} из {pages}",
        ),
        sales_header=("№ чека", "Время", "Клиент", "Мастер", "Оплата", "Сумма"),
        empty="В этот день продаж не было.",
    ),
    "zh": ReportWords(
        title="日结报表 — {date}",
        generated="{when} 由 {name} 生成",
        sales_count="销售笔数",
        gross="营业额",
        tax="其中税额",
        average="客单价",
        cash_expected="钱箱应有现金",
        labels=DayReportLabels(
            summary="汇总",
            by_payment_method="按支付方式",
            payment_columns=("支付方式", "笔数", "金额"),
            by_therapist="按技师",
            therapist_columns=("技师", "服务项目数", "金额"),
            sales="销售明细",
            page="第 {page} 页，共 {pages} 页",
        ),
        sales_header=("单号", "时间", "顾客", "技师", "支付方式", "金额"),
        empty="当天没有销售记录。",
    ),
}

WORDS: dict[str, ShopWords] = {
    language: ShopWords(RECEIPT_WORDS[language], REPORT_WORDS[language])
    for language in RECEIPT_WORDS
}


def language_of(locale: str) -> str:
    """The language part of a shop locale: 'ru_RU' -> 'ru', 'zh-CN' -> 'zh'."""
    return locale.replace("-", "_").split("_", 1)[0].lower()


def shop_words(locale: str) -> ShopWords:
    """The words for a shop locale such as 'ru_RU', 'zh_CN' or 'en_GB'; English otherwise."""
    return WORDS.get(language_of(locale), WORDS["en"])


def receipt_words(locale: str) -> ReceiptWords:
    """The receipt's words for a shop locale."""
    return shop_words(locale).receipt


def report_words(locale: str) -> ReportWords:
    """The end-of-day report's words for a shop locale."""
    return shop_words(locale).report
