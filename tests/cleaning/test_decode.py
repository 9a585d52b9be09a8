"""Bytes of a text capture to clean text."""

from __future__ import annotations

import codecs

import pytest

from digest.cleaning import decode_capture


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"caf\xc3\xa9\nna\xc3\xafve", "café\nnaïve"),
        (codecs.BOM_UTF8 + "zoë".encode(), "zoë"),
        (codecs.BOM_UTF16_LE + "zoë\r\n".encode("utf-16-le"), "zoë\n"),
        (codecs.BOM_UTF16_BE + "zoë".encode("utf-16-be"), "zoë"),
        (b"one\r\ntwo\rthree\n", "one\ntwo\nthree\n"),
        (b"tab\there\x00\x07\x1b[0m", "tab\there[0m"),
        (b"", ""),
    ],
)
def test_decode(data: bytes, expected: str) -> None:
    assert decode_capture(data) == expected


def test_legacy_encoding_is_detected() -> None:
    text = (
        "Le conseil municipal a voté jeudi un budget réduit pour l'été prochain, "
        "malgré l'opposition des élus écologistes qui réclamaient davantage d'arbres."
    )
    assert decode_capture(text.encode("cp1252")) == text


def test_cyrillic_legacy_encoding_is_detected() -> None:
    text = (
        "Городской совет в четверг утвердил сокращённый бюджет на следующее лето, "
        "несмотря на возражения депутатов, которые требовали больше деревьев в парках."
    )
    assert decode_capture(text.encode("cp1251")) == text


def test_undecodable_bytes_do_not_raise() -> None:
    assert isinstance(decode_capture(bytes(range(256))), str)
