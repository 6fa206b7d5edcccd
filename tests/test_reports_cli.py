"""`tracker report`: format from the extension, options, one-line errors."""

from __future__ import annotations

import hashlib

from reports_helpers import html_text, normalise

from tracker.cli import main


def test_unknown_extension_is_a_clear_error_and_writes_nothing(sample_db, tmp_path, capsys):
    out = tmp_path / "report.txt"
    code = main(["report", "--db", str(sample_db), "--plan", "pcp-2016-2020", "--out", str(out)])
    assert code == 1
    error = capsys.readouterr().err
    assert "report.txt" in error and ".pdf, .docx or .html" in error
    assert not out.exists()


def test_html_report_with_options(sample_db, tmp_path, capsys, qapp):
    out = tmp_path / "partner.html"
    before = hashlib.sha256(sample_db.read_bytes()).hexdigest()
    code = main(["report", "--db", str(sample_db), "--plan", "pcp-2020-21", "--out", str(out),
                 "--priority", "3", "--partner", "domestic-abuse-board", "--from", "2019/20",
                 "--to", "2020/21", "--closure"])
    assert code == 0
    assert "Wrote" in capsys.readouterr().out
    text = normalise(" ".join(html_text(out).parts))
    assert "Police and Crime Plan Extension 2020/21: Closure Report" in text
    assert "Commitments and indicators of Southend, Essex and Thurrock Domestic Abuse Board only" in text
    assert "Evidence and indicator values from 2019/20 to 2020/21" in text
    assert "3. Breaking the Cycle of Domestic Abuse" in text
    assert "1. More Local, Visible and Accessible Policing" not in text
    assert hashlib.sha256(sample_db.read_bytes()).hexdigest() == before  # reports only read


def test_bad_options_are_one_line_errors(sample_db, tmp_path, capsys):
    out = tmp_path / "r.pdf"
    base = ["report", "--db", str(sample_db), "--plan", "pcp-2020-21", "--out", str(out)]
    assert main([*base, "--priority", "9"]) == 1
    assert "has no priority 9" in capsys.readouterr().err
    assert main([*base, "--partner", "nobody"]) == 1
    assert "No partner 'nobody'" in capsys.readouterr().err
    assert main([*base, "--from", "2021/22", "--to", "2020/21"]) == 1
    assert "ends (2020/21) before it starts (2021/22)" in capsys.readouterr().err
    assert main(["report", "--db", str(sample_db), "--plan", "nope", "--out", str(out)]) == 1
    assert "No plan 'nope'" in capsys.readouterr().err
    assert not out.exists()
