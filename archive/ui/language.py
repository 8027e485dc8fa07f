"""What Streamlit and Vega show in English unless told otherwise, told in the interface
language: the placeholders of choice widgets, and the month names and number format of
charts. The strings themselves are in archive/strings.py; Vega's Indonesian locale is d3's.

Example::

    >>> st.multiselect(t("outcome", lang), options, **many_choices(lang))
    >>> st.altair_chart(localised(chart, lang))
"""

from __future__ import annotations

from archive.strings import t

# d3-time-format's and d3-format's id-ID locales, as Vega reads them (config.locale).
VEGA_LOCALES = {
    "id": {
        "number": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["Rp", ""]},
        "time": {
            "dateTime": "%A, %e %B %Y pukul %H.%M.%S",
            "date": "%d/%m/%Y",
            "time": "%H.%M.%S",
            "periods": ["AM", "PM"],
            "days": ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"],
            "shortDays": ["Min", "Sen", "Sel", "Rab", "Kam", "Jum", "Sab"],
            "months": [
                "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
                "September", "Oktober", "November", "Desember",
            ],
            "shortMonths": [
                "Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des",
            ],
        },
    },
}  # fmt: skip


def many_choices(lang: str) -> dict:
    """A multiselect's placeholder in ``lang``; its "Select all", which Streamlit cannot say in
    another language, only in English."""
    return {"placeholder": t("choose_options", lang), "select_all": lang == "en"}


def one_choice(lang: str) -> dict:
    """A selectbox's placeholder in ``lang``."""
    return {"placeholder": t("choose_option", lang)}


def localised(chart, lang: str):
    """An Altair chart whose dates and numbers Vega writes in ``lang`` ('Des 08', '0,5')."""
    locale = VEGA_LOCALES.get(lang)
    return chart.configure(locale=locale) if locale else chart
