"""Every real CV in ../shared/data/resumes loads with readable text, its person's name, and no false flags."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.loaders import load_document
from vetting.kernel.domain import ExtractedDocument
from vetting.kernel.errors import UnsupportedFormat
from vetting.kernel.settings import Settings

# file → the name (or, for templates, the first heading) printed at the top of that document
EXPECTED_NAMES = {
    "pdf/altacv_sample.pdf": "Your Name Here",
    "pdf/awesomecv_coverletter.pdf": "Claud D. Park",
    "pdf/awesomecv_resume.pdf": "Byungjin Park",
    "pdf/deedy_resume_macfonts.pdf": "Debarghya Das",
    "pdf/latexcv_infographics.pdf": "Jan Küster",
    "pdf/latexcv_infographics2_en.pdf": "Achraf Najmi",
    "pdf/latexcv_minimalistic.pdf": "Jan Küster",
    "pdf/latexcv_modern.pdf": "Jan Küster",
    "pdf/latexcv_rows.pdf": "Jan Küster",
    "pdf/latexcv_sidebar.pdf": "Jan Küster",
    "pdf/latexcv_sidebarleft.pdf": "Ilya Rumyantsev",
    "pdf/latexcv_two_column.pdf": "Jan Küster",
    "pdf/openresume_laverne.pdf": "Leo Leopard",
    "pdf/openresume_openresume.pdf": "John Doe",
    "pdf/resumematcher_alfred_pennyworth_pm.pdf": "Alfred Pennyworth",
    "pdf/resumematcher_barry_allen_fe.pdf": "Barry Allen",
    "pdf/resumematcher_bruce_wayne_fullstack.pdf": "Bruce Wayne",
    "pdf/resumematcher_harvey_dent_mle.pdf": "Harvey Dent",
    "pdf/resumematcher_john_doe.pdf": "John Doe",
    "pdf/resumematcher_template_modern-single-column.pdf": "John Doe",
    "pdf/resumematcher_template_modern-two-column.pdf": "John Doe",
    "pdf/resumematcher_template_single-column.pdf": "John Doe",
    "pdf/resumematcher_template_two-column.pdf": "John Doe",
    "pdf/resumeparserapi_sample_resume.pdf": "Jane Smith",
    "pdf/sb2nov_sourabh_bajaj_resume.pdf": "Sourabh Bajaj",
    "docx/resumeparserapi_sample_resume.docx": "Jane Smith",
    "json_md/jsonresume_sample.resume.json": "Richard Hendriks",
    "json_md/pandoc_resume_johnny_coder.md": "Johnny Coder",
}
KINDS = {".pdf": "pdf", ".docx": "docx", ".json": "json_resume", ".md": "markdown"}
# Icon-font junk seen in raw pypdf output of these files: glyph names, FontAwesome names, private-use glyphs.
JUNK = re.compile(
    r"/[A-Za-z]+\.(?:lnum|pnum|sc|c2sc)|/f_i|(?:^|\s)/[a-z_-]{3,}\b|(?:^|\s)/_\d+|♂¶|HOUSE-CHIMNEY|GITHUB-SQUARE|"
    r"[\ue000-\uf8ff]",
    re.MULTILINE,
)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ExtractedDocument]:
    """Every CV loaded once (skipped with a reason when ../shared/data is absent)."""
    from tests.conftest import SHARED

    if not SHARED.is_dir():
        pytest.skip("../shared/data is not beside this checkout (present in CI)")
    settings = Settings(_env_file=None, data_dir=tmp_path_factory.mktemp("data"))
    return {name: load_document(SHARED / "resumes" / name, settings) for name in EXPECTED_NAMES}


def test_the_table_covers_every_resume(shared_data: Path) -> None:
    root = shared_data / "resumes"
    on_disk = {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and not p.name.endswith(".job.json")}
    assert on_disk == set(EXPECTED_NAMES)


@pytest.mark.parametrize("name", sorted(EXPECTED_NAMES))
def test_resume_loads_with_its_name_and_no_flags(name: str, loaded: dict[str, ExtractedDocument]) -> None:
    document = loaded[name]
    assert document.kind == KINDS[Path(name).suffix]
    assert len(document.text) > 150
    assert EXPECTED_NAMES[name].casefold() in document.text.casefold()
    assert document.flags == ()  # no hidden text, injection or control characters in real CVs
    assert not JUNK.search(document.text), JUNK.search(document.text)


def test_pdf_page_numbers_are_kept(loaded: dict[str, ExtractedDocument]) -> None:
    pages = {name: [p.number for p in doc.pages] for name, doc in loaded.items() if name.endswith(".pdf")}
    assert pages["pdf/latexcv_minimalistic.pdf"] == [1, 2, 3, 4, 5, 6]
    assert pages["pdf/awesomecv_resume.pdf"] == [1, 2, 3]
    assert all(numbers == list(range(1, len(numbers) + 1)) for numbers in pages.values())
    assert all(p.number is None for name, doc in loaded.items() if not name.endswith(".pdf") for p in doc.pages)


def test_words_are_separated(loaded: dict[str, ExtractedDocument]) -> None:
    """Lines typeset with positioned words (LuaTeX, justified text) keep their spaces."""
    for name, document in loaded.items():
        words = re.findall(r"[^\s/@.:|·•,;()-]+", document.text)
        glued = [w for w in words if len(w) > 24 and not w.startswith("http")]
        assert glued == [], name
    resume = loaded["pdf/awesomecv_resume.pdf"].text
    assert "Be the change that you want to see in the world." in resume
    assert "infrastructure operations, and security engineering" in resume


def test_small_caps_and_old_style_figures_read_as_letters_and_digits(loaded: dict[str, ExtractedDocument]) -> None:
    text = loaded["pdf/latexcv_sidebarleft.pdf"].text
    assert "Python 5+ yrs" in text
    assert "CONSULTANT/ SOFTWARE ENG." in loaded["pdf/latexcv_infographics.pdf"].text
    assert "Scientific Employee" in loaded["pdf/latexcv_rows.pdf"].text


def test_two_column_layout_reads_like_the_single_column_one(loaded: dict[str, ExtractedDocument]) -> None:
    """The same CV in one and two columns: same words, and sentences are not interleaved across columns."""
    one = loaded["pdf/resumematcher_template_single-column.pdf"].text
    two = loaded["pdf/resumematcher_template_two-column.pdf"].text
    words_one, words_two = set(re.findall(r"\w+", one.lower())), set(re.findall(r"\w+", two.lower()))
    assert len(words_one & words_two) / len(words_one | words_two) > 0.97
    flat = " ".join(two.split())
    for sentence in (
        "Designed and implemented real-time fraud detection pipeline processing 50K+ transactions per second",
        "Led migration of legacy payment reconciliation service to event-driven microservices architecture",
        "Senior Software Engineer with 5+ years of proven expertise designing and building scalable backend systems",
    ):
        assert sentence in flat


def test_the_json_resume_renders_its_sections(loaded: dict[str, ExtractedDocument]) -> None:
    text = loaded["json_md/jsonresume_sample.resume.json"].text
    assert text.startswith("# Richard Hendriks\nProgrammer")
    assert "## Work experience\nCEO/President — Pied Piper\n2013-12-01 – 2014-12-01" in text
    assert "- Successfully won Techcrunch Disrupt" in text
    assert "- Web Development (Master): HTML, CSS, Javascript" in text
    assert "Bachelor in Information Technology — University of Oklahoma" in text


def test_a_job_description_json_is_not_taken_for_a_resume(shared_data: Path, settings: Settings) -> None:
    with pytest.raises(UnsupportedFormat, match="describes a job"):
        load_document(shared_data / "resumes" / "json_md" / "jsonresume_sample.job.json", settings)
