"""CSV import of homes: every row or none, and each bad row named by row, column and reason."""

from __future__ import annotations

from tests.api.conftest import Api, Client
from tests.api.helpers import add_child, add_home, assert_problem, propose, upload_homes

HEADER = "id,type,postcode,beds_free,age_min,age_max,capabilities.trauma,languages\n"


def test_import_registers_every_row(provider: Client) -> None:
    text = HEADER + "H-1,foster,6714,2,0,12,2,nl;ar\nH-2,family_home,6708 AB,3,,,1,\n"
    response = upload_homes(provider, text)
    assert response.status_code == 200, response.text
    assert response.json() == {"created": ["H-1", "H-2"], "updated": []}
    h1 = provider.get("/v1/homes/H-1").json()
    assert (h1["beds_free"], h1["age_max"], h1["languages"]) == (2, 12, ["nl", "ar"])
    assert h1["capabilities"] == {"trauma": 2}
    assert h1["organisation"] == "org-a"  # the provider's own, when the column is absent
    h2 = provider.get("/v1/homes/H-2").json()
    assert (h2["postcode"], h2["age_min"], h2["age_max"]) == ("6708", 0, 23)  # PC4 only


def test_import_accepts_a_plain_csv_body_and_semicolons(provider: Client) -> None:
    text = "id;type;postcode;beds_free\nH-1;foster;6714;1\n"
    response = upload_homes(provider, text, as_file=False)
    assert response.status_code == 200, response.text
    assert response.json()["created"] == ["H-1"]


def test_import_replaces_own_existing_homes(provider: Client) -> None:
    add_home(provider, "H-1", beds_free=1)
    response = upload_homes(
        provider, "id,type,postcode,beds_free\nH-1,foster,6714,4\nH-2,foster,6714,1\n"
    )
    assert response.json() == {"created": ["H-2"], "updated": ["H-1"]}
    assert provider.get("/v1/homes/H-1").json()["beds_free"] == 4


def test_one_bad_row_imports_nothing_and_every_problem_is_named(provider: Client) -> None:
    text = (
        HEADER
        + "H-1,foster,6714,2,0,12,2,nl\n"  # row 2: fine
        + "H-2,castle,6714,-1,0,12,7,nl\n"  # row 3: type, beds_free, capability level
        + "H-3,foster,0000,1,0,140,,nl\n"  # row 4: age_max; postcode unknown
        + "H-1,foster,6714,1,,,,\n"  # row 5: duplicate id
    )
    body = assert_problem(upload_homes(provider, text), 422)
    problems = {(e["row"], e["column"]) for e in body["errors"]}
    assert (3, "type") in problems
    assert (3, "beds_free") in problems
    assert (3, "capabilities.trauma") in problems
    assert (4, "age_max") in problems
    assert (5, "id") in problems
    assert all(e["location"] == "file" and e["reason"] for e in body["errors"])
    assert "nothing was imported" in body["detail"]
    assert provider.get("/v1/homes").json()["total"] == 0


def test_a_repeated_id_is_reported_even_on_a_row_with_other_problems(
    provider: Client,
) -> None:
    text = (
        HEADER
        + "H-1,castle,6714,2,0,12,2,nl\n"  # row 2: type
        + "H-1,foster,6714,2,0,12,2,nl\n"  # row 3: fine, but the id of row 2
        + "H-1,foster,6714,-1,0,12,2,nl\n"  # row 4: beds_free, and the id again
    )
    body = assert_problem(upload_homes(provider, text), 422)
    assert sorted((e["row"], e["column"]) for e in body["errors"]) == [
        (2, "type"),
        (3, "id"),
        (4, "beds_free"),
        (4, "id"),
    ]


def test_a_rule_between_columns_is_reported_on_the_column_to_change(provider: Client) -> None:
    body = assert_problem(upload_homes(provider, HEADER + "H-1,foster,6714,1,12,4,,\n"), 422)
    assert [(e["row"], e["column"], e["path"]) for e in body["errors"]] == [
        (2, "age_max", "$.age_max")
    ]


def test_unknown_postcode_is_reported_on_its_row(provider: Client) -> None:
    body = assert_problem(
        upload_homes(provider, "id,type,postcode,beds_free\nH-1,foster,1000,1\n"), 422
    )
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(2, "postcode")]


def test_wrong_columns_are_reported_before_rows(provider: Client) -> None:
    body = assert_problem(
        upload_homes(provider, "id,type,colour,capabilities.magic\nH-1,foster,,\n"), 422
    )
    columns = {e["column"]: e["reason"] for e in body["errors"]}
    assert columns["colour"] == "unknown column"
    assert "unknown care domain" in columns["capabilities.magic"]
    assert columns["postcode"] == "required column is missing"
    assert columns["beds_free"] == "required column is missing"


def test_provider_cannot_import_for_another_organisation(provider: Client) -> None:
    text = "id,organisation,type,postcode,beds_free\nH-1,org-b,foster,6714,1\n"
    body = assert_problem(upload_homes(provider, text), 422)
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(2, "organisation")]


def test_import_cannot_take_another_organisations_id(provider: Client, provider_b: Client) -> None:
    add_home(provider_b, "H-1", organisation="org-b")
    body = assert_problem(
        upload_homes(provider, "id,type,postcode,beds_free\nH-1,foster,6714,1\n"), 422
    )
    assert body["errors"][0]["column"] == "id"
    assert provider_b.get("/v1/homes/H-1").json()["organisation"] == "org-b"


def test_import_cannot_lower_beds_below_held(provider: Client, coordinator: Client) -> None:
    add_home(provider, "H-1", beds_free=1)
    add_child(coordinator, "C-1")
    assert propose(coordinator, ["C-1"], "H-1").status_code == 201
    body = assert_problem(
        upload_homes(provider, "id,type,postcode,beds_free\nH-1,foster,6714,0\n"), 422
    )
    assert body["errors"][0]["row"] == 2


def test_admin_import_needs_the_organisation_column(admin: Client) -> None:
    body = assert_problem(
        upload_homes(admin, "id,type,postcode,beds_free\nH-1,foster,6714,1\n"), 422
    )
    assert body["errors"][0]["column"] == "organisation"
    ok = upload_homes(admin, "id,organisation,type,postcode,beds_free\nH-1,org-z,foster,6714,1\n")
    assert ok.status_code == 200


def test_unreadable_files_are_rejected(provider: Client) -> None:
    assert_problem(upload_homes(provider, ""), 422)
    assert_problem(upload_homes(provider, "id,type,postcode,beds_free\n"), 422)
    assert_problem(upload_homes(provider, 'id,type\n"H-1,foster\n'), 422)
    binary = provider.post(
        "/v1/homes/import", files={"file": ("x.csv", b"\xff\xfe\x00garbage", "text/csv")}
    )
    assert_problem(binary, 422)


def test_import_needs_a_file(provider: Client) -> None:
    body = assert_problem(provider.post("/v1/homes/import", json={"id": "H-1"}), 422)
    assert body["errors"][0]["location"] == "header"
    no_file = provider.post("/v1/homes/import", data={"other": "x"}, files={"x": ("a", b"b")})
    assert_problem(no_file, 422)


def test_coordinator_may_not_import(coordinator: Client, api: Api) -> None:
    assert_problem(
        upload_homes(coordinator, "id,type,postcode,beds_free\nH-1,foster,6714,1\n"), 403
    )


def test_the_file_field_is_found_among_other_form_fields(provider: Client) -> None:
    response = provider.post(
        "/v1/homes/import",
        data={"note": "weekly update"},
        files={"file": ("homes.csv", b"id,type,postcode,beds_free\nH-1,foster,6714,1\n")},
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"created": ["H-1"], "updated": []}


def test_an_unreadable_multipart_body_is_refused(provider: Client) -> None:
    for content_type in ("multipart/form-data", "multipart/form-data; boundary=xyz"):
        response = provider.post(
            "/v1/homes/import",
            content=b"--abc\r\nnot a part",
            headers={"Content-Type": content_type},
        )
        assert_problem(response, 422)
    many = {f"f{i}": (f"{i}.csv", b"x") for i in range(11)}
    assert_problem(provider.post("/v1/homes/import", files=many), 422)
    assert provider.get("/v1/homes").json()["total"] == 0


def test_every_problem_of_every_row_is_reported_in_one_upload(
    provider: Client, provider_b: Client
) -> None:
    # A provider fixing a large file must see each row's schema problems, its unknown
    # postcode, its ages the wrong way round and a taken id at once, not one round of
    # problems per upload; and nothing is written.
    add_home(provider_b, "H-B", organisation="org-b")
    header = (
        "id,type,postcode,beds_free,age_min,age_max,available_from,available_until,"
        "care_kinds,part_time_places_free,known_to\n"
    )
    text = header + (
        "H-1,foster,99999,x,15,10,,,,,\n"  # row 2: beds_free; postcode; ages
        "H-2,castle,6714,1,15,10,2026-12-01,2026-11-01,,,\n"  # row 3: type; ages; dates
        "H-3,foster,6714,1,0,12,,,sometimes,2,\n"  # row 4: care_kinds (part-time unknown)
        "H-4,castle,6714,1,0,12,,,,,C-1\n"  # row 5: type; a child not told to the provider
        "H-B,foster,1000,-1,,,,,,,\n"  # row 6: beds_free; postcode; id of org-b
        "H-6,foster,6714,1,0,12,,,,,\n"  # row 7: fine
    )
    body = assert_problem(upload_homes(provider, text), 422)
    found = sorted((e["row"], e["column"]) for e in body["errors"])
    assert found == [
        (2, "age_max"),
        (2, "beds_free"),
        (2, "postcode"),
        (3, "age_max"),
        (3, "available_until"),
        (3, "type"),
        (4, "care_kinds"),
        (5, "known_to"),
        (5, "type"),
        (6, "beds_free"),
        (6, "id"),
        (6, "postcode"),
    ]
    reasons = {(e["row"], e["column"]): e["reason"] for e in body["errors"]}
    assert reasons[(2, "age_max")] == "age_min 15 is above age_max 10"
    assert reasons[(2, "postcode")].startswith("is not a")
    assert reasons[(6, "postcode")] == "is not a known Dutch PC4 area"
    assert reasons[(6, "id")] == "id is already in use by another organisation's home"
    # Read from a wrong column, a rule says nothing: no "only for network_foster homes" on
    # row 5 (its type is wrong), no "only with care_kinds part_time" on row 4.
    assert reasons[(5, "known_to")] == "unknown child id"
    assert all(e["location"] == "file" for e in body["errors"])
    assert "12 problem(s)" in body["detail"]
    assert provider.get("/v1/homes").json()["total"] == 0
