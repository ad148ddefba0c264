from __future__ import annotations

import functools
import marshal
import os
from pathlib import Path

import pytest

import magwise.foods
from magwise.errors import DataError, InputError
from magwise.foods import Food, FoodIndex, Portion, RankedFood, SearchHit, _store
from magwise.foods._sr28 import sr28_dir


@functools.cache
def _lines(file: str) -> tuple[str, ...]:
    return tuple((sr28_dir() / file).read_bytes().decode("cp1252").splitlines())


def _raw(file: str, *key: str) -> list[list[str]]:
    """Rows of an SR28 file whose leading fields are ``key``, read without magwise."""
    prefix = "^".join(f"~{field}~" for field in key)
    return [
        [field.strip("~") for field in line.split("^")]
        for line in _lines(file)
        if line.startswith(prefix)
    ]


def _magnesium_rows() -> list[list[str]]:
    return [line.split("^") for line in _lines("NUT_DATA.txt") if line[8:13] == "~304~"]


def test_public_names() -> None:
    assert set(magwise.foods.__all__) == {
        "Food",
        "FoodIndex",
        "OwnFood",
        "Per",
        "Portion",
        "RankedFood",
        "SearchHit",
        "food_name",
        "is_own",
        "load_foods",
        "search_with_own",
    }


def test_every_sr28_food_is_indexed(food_index: FoodIndex) -> None:
    assert len(food_index) == 8789
    every = list(food_index)
    assert len({food.ndb for food in every}) == 8789
    assert every[0].ndb == "01001"
    assert len(food_index.groups()) == 25
    assert "Nut and Seed Products" in food_index.groups()


def test_values_match_the_raw_files(food_index: FoodIndex) -> None:
    pumpkin = food_index.get("12014")
    assert pumpkin.description == "Seeds, pumpkin and squash seed kernels, dried"
    assert pumpkin.group == "Nut and Seed Products"
    assert pumpkin.mg_per_100g == float(_raw("NUT_DATA.txt", "12014", "304")[0][2]) == 592.0
    assert pumpkin.kcal_per_100g == float(_raw("NUT_DATA.txt", "12014", "208")[0][2]) == 559.0
    assert pumpkin.mg_per_100kcal == pytest.approx(592 / 559 * 100)


def test_spinach_matches_the_raw_files(food_index: FoodIndex) -> None:
    spinach = food_index.get("11457")
    assert spinach.description == "Spinach, raw"
    assert spinach.mg_per_100g == float(_raw("NUT_DATA.txt", "11457", "304")[0][2])


def test_cp1252_text_is_decoded(food_index: FoodIndex) -> None:
    assert [portion.unit for portion in food_index.get("22996").portions] == ["Entr\u00e9e"]


def test_a_food_without_magnesium_is_unknown_not_zero(food_index: FoodIndex) -> None:
    with_magnesium = {row[0].strip("~") for row in _magnesium_rows()}
    missing = [row[0] for row in _raw("FOOD_DES.txt") if row[0] not in with_magnesium]
    assert missing, "SR28 has foods without a magnesium value"
    for ndb in missing[:50]:
        food = food_index.get(ndb)
        assert food.mg_per_100g is None
        assert food.mg_per_100kcal is None


def test_a_measured_zero_stays_zero(food_index: FoodIndex) -> None:
    zeros = [row[0].strip("~") for row in _magnesium_rows() if float(row[2]) == 0]
    assert zeros
    assert food_index.get(zeros[0]).mg_per_100g == 0.0


def test_portions_come_from_weight_file(food_index: FoodIndex) -> None:
    pumpkin = food_index.get("12014")
    assert pumpkin.portions == (Portion(1.0, "cup", 129.0), Portion(1.0, "oz", 28.35))
    butter = food_index.get("01001")
    assert [portion.unit for portion in butter.portions] == [
        row[3] for row in _raw("WEIGHT.txt", "01001")
    ]


@pytest.mark.parametrize(
    ("portion", "label"),
    [
        (Portion(1.0, "oz", 28.35), "1 oz"),
        (Portion(0.5, "cup, chopped", 60.0), "0.5 cup, chopped"),
        (Portion(2.25, "tbsp", 30.0), "2.25 tbsp"),
    ],
)
def test_portion_label(portion: Portion, label: str) -> None:
    assert portion.label == label


def test_portion_lookup(food_index: FoodIndex) -> None:
    pumpkin = food_index.get("12014")
    assert pumpkin.portion("1 oz") == Portion(1.0, "oz", 28.35)
    assert pumpkin.portion("  1   OZ ") == Portion(1.0, "oz", 28.35)
    assert pumpkin.portion("oz") == Portion(1.0, "oz", 28.35)
    assert pumpkin.portion("2 oz") is None
    almonds = food_index.get("12061")
    assert almonds.portion("1 oz") == almonds.portion("1 oz (23 whole kernels)")
    assert almonds.portion("1 oz") is not None
    assert pumpkin.mg_in(Portion(1.0, "oz", 28.35)) == pytest.approx(592 * 0.2835)


@pytest.mark.parametrize("ndb", ["1001", "01001", " 01001 "])
def test_get_reads_short_numbers(food_index: FoodIndex, ndb: str) -> None:
    assert food_index.get(ndb).description == "Butter, salted"


@pytest.mark.parametrize("ndb", ["abc", "123456", "", "12.5", "-1001"])
def test_get_rejects_ill_formed_numbers(food_index: FoodIndex, ndb: str) -> None:
    with pytest.raises(InputError, match="5-digit SR28 NDB number") as caught:
        food_index.get(ndb)
    assert caught.value.field == "ndb"


def test_get_rejects_unknown_numbers(food_index: FoodIndex) -> None:
    with pytest.raises(InputError, match="no SR28 food has NDB number 99999"):
        food_index.get("99999")


def test_top_per_100g(food_index: FoodIndex) -> None:
    ranked = food_index.top(limit=10)
    assert len(ranked) == 10
    assert all(isinstance(item, RankedFood) and item.per == "100g" for item in ranked)
    values = [item.mg for item in ranked]
    assert values == sorted(values, reverse=True)
    known = [food_index.get(ndb).mg_per_100g for ndb in ("12014", "11457")]
    assert all(value is not None and values[-1] >= value for value in known)


def test_top_skips_unknown_magnesium(food_index: FoodIndex) -> None:
    ranked = food_index.top(limit=10_000)
    assert all(item.food.mg_per_100g is not None for item in ranked)
    assert len(ranked) < len(food_index)


def test_top_per_100kcal(food_index: FoodIndex) -> None:
    ranked = food_index.top(per="100kcal", group="Vegetables and Vegetable Products", limit=5)
    for item in ranked:
        assert item.food.group == "Vegetables and Vegetable Products"
        assert item.mg == pytest.approx(item.food.mg_per_100kcal)


def test_top_per_portion_uses_a_helping(food_index: FoodIndex) -> None:
    ranked = food_index.top(per="portion", limit=200)
    for item in ranked:
        assert item.portion is not None
        assert item.mg == pytest.approx((item.food.mg_per_100g or 0) * item.portion.grams / 100)
    pumpkin = next(item for item in ranked if item.food.ndb == "12014")
    assert pumpkin.portion is not None
    assert pumpkin.portion.grams < 129, "a cup of seeds is not a helping"


def test_top_group_accepts_case_and_unique_parts(food_index: FoodIndex) -> None:
    assert food_index.resolve_group("nut and seed products") == "Nut and Seed Products"
    assert food_index.resolve_group("finfish") == "Finfish and Shellfish Products"


def test_top_rejects_unknown_group_with_a_suggestion(food_index: FoodIndex) -> None:
    with pytest.raises(InputError, match="did you mean 'Nut and Seed Products'") as caught:
        food_index.top(group="nutz")
    assert caught.value.field == "group"
    assert "Beverages" in caught.value.message


@pytest.mark.parametrize("limit", [0, -3])
def test_top_rejects_non_positive_limits(food_index: FoodIndex, limit: int) -> None:
    with pytest.raises(InputError, match="positive"):
        food_index.top(limit=limit)


def test_load_reuses_a_stored_index(tmp_path: Path) -> None:
    path = tmp_path / "foods.marshal"
    calls: list[tuple[int, int]] = []
    FoodIndex.load(path, progress=lambda done, total: calls.append((done, total)))
    assert calls
    assert calls[-1][0] == calls[-1][1]
    assert all(done <= total for done, total in calls)
    stamp = path.stat().st_mtime_ns
    calls.clear()
    again = FoodIndex.load(path, progress=lambda done, total: calls.append((done, total)))
    assert calls == []
    assert path.stat().st_mtime_ns == stamp
    assert len(again) == 8789


def test_outdated_release_or_format_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "foods.marshal"
    FoodIndex.load(path)
    magic, version, release, columns = marshal.loads(path.read_bytes())
    for header in ((magic, version, "SR27"), (magic, version + 1, release)):
        path.write_bytes(marshal.dumps((*header, columns)))
        assert _store.read(path) is None
        assert len(FoodIndex.load(path)) == 8789
        assert marshal.loads(path.read_bytes())[:3] == (magic, version, release)


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],
        lambda data: b"not an index",
        lambda data: b"",
        lambda data: marshal.dumps(("magwise-foods", 1, "SR28")),
    ],
)
def test_corrupt_index_is_rebuilt(tmp_path: Path, damage: object) -> None:
    path = tmp_path / "foods.marshal"
    FoodIndex.load(path)
    assert callable(damage)
    path.write_bytes(damage(path.read_bytes()))
    assert _store.read(path) is None
    index = FoodIndex.load(path)
    assert index.get("12014").mg_per_100g == 592.0
    assert _store.read(path) is not None


def test_default_path_follows_the_data_dir(data_dir: Path) -> None:
    assert _store.default_path().parent == data_dir
    assert "sr28" in _store.default_path().name


def test_a_failed_build_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "foods.marshal"

    def interrupted(handle: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        FoodIndex.load(path)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_rebuild_keeps_the_previous_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "foods.marshal"
    FoodIndex.load(path)
    before = path.read_bytes()

    def disk_full(source: object, target: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(DataError, match="cannot write the food index"):
        FoodIndex.build(path)
    assert path.read_bytes() == before
    assert [entry.name for entry in tmp_path.iterdir()] == ["foods.marshal"]


def test_food_and_hit_are_values(food_index: FoodIndex) -> None:
    food = food_index.get("12014")
    assert isinstance(food, Food)
    with pytest.raises(AttributeError):
        food.ndb = "00000"  # type: ignore[misc]
    assert SearchHit(food, 1.0) == SearchHit(food, 1.0)
