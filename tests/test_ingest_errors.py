"""Bad input: each one a clear InputError naming the input; batches skip and count."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from riwaya.errors import InputError
from riwaya.ingest import ReadStats, read

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
GOOD = "أعلنت الحكومة خطة جديدة لدعم المزارعين في المناطق الريفية خلال العام المقبل."


def error_of(path, **kw) -> InputError:
    with pytest.raises(InputError) as info:
        list(read(path, strict=True, **kw))
    return info.value


def test_missing_path():
    err = error_of("no/such/article.txt")
    assert str(err) == "no/such/article.txt: no such file or folder"


def test_empty_file(tmp_path):
    f = tmp_path / "empty.txt"
    f.write_bytes(b"")
    assert str(error_of(f)) == f"{f}: empty file"


def test_whitespace_only_file(tmp_path):
    f = tmp_path / "blank.txt"
    f.write_text(" \n\n\t\n", encoding="utf-8")
    assert "empty file" in str(error_of(f))


def test_binary_file(tmp_path):
    f = tmp_path / "photo.txt"
    f.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    err = error_of(f)
    assert err.origin == str(f) and "binary file" in err.problem


def test_binary_file_without_known_extension(tmp_path):
    f = tmp_path / "blob"
    f.write_bytes(bytes(range(256)) * 8)
    assert "binary file" in error_of(f).problem


def test_undecodable_bytes(tmp_path):
    f = tmp_path / "broken.txt"
    data = GOOD.encode("utf-8")
    f.write_bytes(data[:40] + b"\xff\xfe\xff" + data[40:])
    err = error_of(f)
    assert "undecodable bytes" in err.problem and "invalid UTF-8" in err.problem


def test_bad_json_line_names_the_line(tmp_path):
    f = tmp_path / "dump.jsonl"
    f.write_text('{"id": "a", "text": "نص أول."}\n{"id": "b", "text": "نص ثان."}\n'
                 '{"id": "c", "text": "نص ثالث\n{"id": "d", "text": "نص رابع."}\n', encoding="utf-8")
    errors: list[InputError] = []
    stats = ReadStats()
    ids = [a.id for a in read(f, on_error=errors.append, stats=stats)]
    assert ids == ["a", "b", "d"]
    assert len(errors) == 1 and str(errors[0]).startswith(f"{f}:3: bad JSON (")
    assert (stats.inputs, stats.articles, stats.skipped) == (1, 3, 1)
    assert stats.summary() == "read 3 articles from 1 input; skipped 1"


def test_json_record_without_text(tmp_path):
    f = tmp_path / "dump.jsonl"
    f.write_text('{"id": "a", "title": "عنوان فقط"}\n[1, 2]\n', encoding="utf-8")
    errors: list[InputError] = []
    assert list(read(f, on_error=errors.append)) == []
    assert [str(e) for e in errors] == [f'{f}:1: no "text" field',
                                        f"{f}:2: expected a JSON object, got list"]


def test_bad_json_document(tmp_path):
    f = tmp_path / "list.json"
    f.write_text('[{"text": "نص"},', encoding="utf-8")
    assert "bad JSON" in error_of(f).problem


def test_truncated_gzip(tmp_path):
    rows = "".join(f'{{"id": "r{i}", "text": "{GOOD} {i}"}}\n' for i in range(2000))
    data = gzip.compress(rows.encode("utf-8"))
    f = tmp_path / "cut.jsonl.gz"
    f.write_bytes(data[: len(data) // 2])
    errors: list[InputError] = []
    arts = list(read(f, on_error=errors.append))
    assert 0 < len(arts) < 2000  # what came before the cut is read
    assert len(errors) == 1 and "truncated or corrupt gzip" in str(errors[0])
    assert errors[0].origin == str(f)


def test_corrupt_gzip(tmp_path):
    f = tmp_path / "bad.txt.gz"
    f.write_bytes(b"\x1f\x8b\x08\x00" + b"not really gzip at all" * 10)
    assert "gzip" in error_of(f).problem


def test_malformed_feed(tmp_path):
    f = tmp_path / "feed.rss"
    f.write_text((FIXTURES / "feed.rss").read_text(encoding="utf-8").replace("</item>", "", 1),
                 encoding="utf-8")
    assert "malformed feed" in error_of(f).problem


def test_xml_that_is_not_a_feed(tmp_path):
    f = tmp_path / "data.xml"
    f.write_text('<?xml version="1.0"?><catalog><book>كتاب</book></catalog>', encoding="utf-8")
    assert "not an RSS or Atom feed" in error_of(f).problem


def test_entity_expansion_bomb_refused(tmp_path):
    bomb = ('<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY a "aaaaaaaaaa">\n'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">\n]>\n'
            '<rss version="2.0"><channel><title>t</title><item><title>&c;</title>'
            '<description>&c;</description></item></channel></rss>')
    f = tmp_path / "bomb.rss"
    f.write_text(bomb, encoding="utf-8")
    assert "unsafe XML refused" in error_of(f).problem


def test_external_entity_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("كلمة السر", encoding="utf-8")
    xxe = (f'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>\n'
           '<rss version="2.0"><channel><title>t</title><item><title>x</title>'
           '<description>&x;</description></item></channel></rss>')
    f = tmp_path / "xxe.rss"
    f.write_text(xxe, encoding="utf-8")
    assert "unsafe XML refused" in error_of(f).problem


def test_file_over_size_limit(tmp_path):
    f = tmp_path / "big.txt"
    f.write_text(GOOD * 50, encoding="utf-8")
    err = error_of(f, max_bytes=1000)
    assert "over the limit of 1,000" in err.problem
    assert len(list(read(f, strict=True, max_bytes=100_000))) == 1


def test_gzip_over_size_limit_after_decompression(tmp_path):
    f = tmp_path / "big.txt.gz"
    f.write_bytes(gzip.compress((GOOD * 500).encode("utf-8")))
    assert "after decompression" in error_of(f, max_bytes=5000).problem


def test_jsonl_record_over_size_limit(tmp_path):
    f = tmp_path / "dump.jsonl"
    f.write_text(f'{{"id": "big", "text": "{GOOD * 30}"}}\n{{"id": "ok", "text": "{GOOD}"}}\n',
                 encoding="utf-8")
    errors: list[InputError] = []
    assert [a.id for a in read(f, max_bytes=1000, on_error=errors.append)] == ["ok"]
    assert str(errors[0]).startswith(f"{f}:1: record over the size limit")


def test_batch_skips_and_strict_stops(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    errors: list[InputError] = []
    stats = ReadStats()
    arts = list(read([empty, "missing.txt", good], on_error=errors.append, stats=stats))
    assert len(arts) == 1 and stats.skipped == 2 and len(errors) == 2
    with pytest.raises(InputError, match="empty file"):
        list(read([empty, good], strict=True))


def test_glob_and_folder_that_match_nothing(tmp_path):
    assert "no files match" in error_of(str(tmp_path / "*.txt")).problem
    (tmp_path / "sub").mkdir()
    assert "no readable files" in error_of(tmp_path / "sub").problem
