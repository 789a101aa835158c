import io

import pytest

from common.spreadsheet import SafeWriter, safe_cell, unsafe_cell


@pytest.mark.parametrize("dangerous", ['=HYPERLINK("http://x")', "+1+1", "-2", "@SUM(A1)", "\tcmd", "\rcmd"])
def test_a_cell_a_spreadsheet_would_run_stays_text_and_comes_back_unchanged(dangerous):
    assert safe_cell(dangerous) == "'" + dangerous
    assert unsafe_cell(safe_cell(dangerous)) == dangerous


@pytest.mark.parametrize("plain", ["Hello", "", "'quoted already", "3 posts", None])
def test_ordinary_cells_are_left_alone(plain):
    assert safe_cell(plain) == ("" if plain is None else plain)
    assert unsafe_cell(safe_cell(plain)) == ("" if plain is None else plain)


def test_the_writer_escapes_every_cell_of_a_row():
    out = io.StringIO()
    SafeWriter(out).writerow(["=1+1", 42, None, "ok"])
    assert out.getvalue() == "'=1+1,42,,ok\r\n"
