import io

from dlnotes.progress import progress


def test_progress_writes_to_the_given_stream_and_counts():
    stream = io.StringIO()
    seen = list(progress(range(5), desc="训练", file=stream, mininterval=0))
    assert seen == [0, 1, 2, 3, 4]
    text = stream.getvalue()
    assert "训练" in text and "5/5" in text


def test_progress_defaults_to_stdout(capsys):
    list(progress(range(2), mininterval=0))
    captured = capsys.readouterr()
    assert "2/2" in captured.out
    assert captured.err == ""
