"""The catalogue file: the shipped one is valid and complete; mistakes are reported with their place."""

from __future__ import annotations

from pathlib import Path

import pytest

from ground.catalogue import CatalogueError, load_catalogue

SHIPPED = Path(__file__).resolve().parent.parent / "catalogue.toml"


def test_shipped_catalogue_holds_the_plan(catalogue):
    assert len(catalogue.villages) == 20
    assert len(catalogue.units) == 11
    assert len(catalogue.indicators) == 25
    assert [p.code for p in catalogue.phases] == ["2026-2027", "2028-2030"]
    trees = catalogue.indicator("cay_xanh_trong_moi")
    assert (trees.kind, trees.direction, trees.responsible) == ("flow", "up", "phong-kinh-te")
    assert trees.target("2026-2027").value == 20000
    assert trees.target("2028-2030").value == 50000
    full = catalogue.indicator("tthc_toan_trinh")
    assert "942/QĐ-TTg" in full.target("2026-2027").source
    assert full.target("2028-2030").source == "Đề xuất"
    assert catalogue.indicator("vi_pham_moi_truong").targets == ()
    for ind in catalogue.indicators:
        if ind.kind == "ratio":
            assert ind.numerator and ind.denominator, ind.code


def test_phase_of_month_uses_the_phase_whose_end_has_not_passed(catalogue):
    assert catalogue.phase_of("2026-01").code == "2026-2027"
    assert catalogue.phase_of("2027-12").code == "2026-2027"
    assert catalogue.phase_of("2028-01").code == "2028-2030"
    assert catalogue.phase_of("2031-05").code == "2028-2030"


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = SHIPPED.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "catalogue.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('kind = "flow"', 'kind = "flux"', "'kind' phải là một trong"),
        ('responsible = "phong-vhxh"', 'responsible = "phong-xyz"', "đơn vị 'phong-xyz' không có"),
        ('{ phase = "2026-2027", value = 48, source = "Đề xuất" }', '{ phase = "2026-2027", value = 48 }', "nguồn"),
        ('{ phase = "2026-2027", value = 85,', '{ phase = "2026-2027", value = 185,', "từ 0 đến 100"),
        ('code = "yen-my"\nname = "Thôn Yên Mỹ"', 'code = "yen-my"\nname = "Thôn Đông Hà"', "trùng"),
        ('code = "an-lac"', 'code = "an lac"', "chỉ gồm chữ thường"),
        ('plan_start = "2026-01"', 'plan_start = "01/2026"', "YYYY-MM"),
    ],
)
def test_each_mistake_is_reported_with_its_place(tmp_path, old, new, expected):
    with pytest.raises(CatalogueError) as err:
        load_catalogue(_broken(tmp_path, old, new))
    assert any(expected in p for p in err.value.problems), err.value.problems


def test_every_mistake_is_listed_not_only_the_first(tmp_path):
    path = _broken(tmp_path, 'kind = "flow"', 'kind = "flux"')
    text = path.read_text(encoding="utf-8").replace('direction = "up"', 'direction = "sideways"', 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogueError) as err:
        load_catalogue(path)
    assert len(err.value.problems) >= 2
    assert any("dòng" in p and "tt_hoi_nghi" in p for p in err.value.problems)


def test_invalid_toml_is_a_clear_error(tmp_path):
    path = tmp_path / "catalogue.toml"
    path.write_text("[commune\nname = 1", encoding="utf-8")
    with pytest.raises(CatalogueError, match="không đọc được TOML"):
        load_catalogue(path)
