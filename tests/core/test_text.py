"""The one escape for user- and Sinch-supplied text."""

from bot.blockkit.text import clean, escape


def test_escape_turns_mentions_and_links_into_literal_text() -> None:
    hostile = "<!channel> <@U0ADMIN01> <https://evil.example|click here> & co"
    assert escape(hostile) == (
        "&lt;!channel&gt; &lt;@U0ADMIN01&gt; &lt;https://evil.example|click here&gt; &amp; co"
    )


def test_escape_is_not_undone_by_text_that_looks_escaped() -> None:
    assert escape("&lt;!here&gt;") == "&amp;lt;!here&amp;gt;"


def test_clean_strips_controls_and_bidi_overrides_but_keeps_lines() -> None:
    assert clean("Acme\u202eLtd\x00\x1b[31m\tB\nC\u2066x\u2069") == "AcmeLtd[31m\tB\nCx"


def test_plain_text_is_unchanged() -> None:
    assert escape("Front desk, 2nd floor (Zürich)") == "Front desk, 2nd floor (Zürich)"
