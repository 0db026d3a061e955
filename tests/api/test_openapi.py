"""The OpenAPI document as a client generator reads it: ids, descriptions, examples, error
statuses, and a client generated from it that really talks to the service."""

from __future__ import annotations

import importlib
import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.http.openapi import EXAMPLES, OPERATIONS
from api.schemas.children import ChildCreate
from api.schemas.homes import HomeCreate
from api.schemas.planning import CapacityCreate, SimulationCreate
from api.schemas.proposals import DeclineReason, ProposalCreate, ProposalDecline
from matching.documents import Audience
from matching.model import CareKind, HomeType, SplitReason, Urgency
from matching.rules import CriterionCode
from tests.api.conftest import Api, Client
from tests.api.helpers import add_child, add_home
from tests.builders import EDE_NEAR

OPERATION_ID = re.compile(r"^[a-z][A-Za-z]+$")
METHODS = {"get", "post", "put", "patch", "delete"}


def _operations(spec: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method.upper(), path): operation
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    }


@pytest.fixture
def spec(anonymous: Client) -> dict[str, Any]:
    document: dict[str, Any] = anonymous.get("/openapi.json").json()
    return document


def test_every_operation_has_a_camel_case_id_a_summary_and_a_description(
    spec: dict[str, Any],
) -> None:
    operations = _operations(spec)
    ids = [op.get("operationId", "") for op in operations.values()]
    for key, operation in operations.items():
        assert OPERATION_ID.match(operation.get("operationId", "")), key
        assert "_" not in operation["operationId"], key
        assert operation.get("summary", "").strip(), key
        assert operation.get("description", "").strip(), key
    assert len(ids) == len(set(ids)), "operation ids must be unique"


def test_the_operation_table_covers_exactly_the_routes(spec: dict[str, Any]) -> None:
    assert set(_operations(spec)) == set(OPERATIONS)


def test_the_main_ids_are_the_published_ones(spec: dict[str, Any]) -> None:
    ids = {key: op["operationId"] for key, op in _operations(spec).items()}
    assert ids[("GET", "/v1/homes")] == "listHomes"
    assert ids[("POST", "/v1/homes/import")] == "importHomes"
    assert ids[("DELETE", "/v1/homes/{home_id}")] == "deleteHome"
    assert ids[("GET", "/v1/children/{child_id}/options")] == "getChildOptions"
    assert ids[("POST", "/v1/proposals")] == "createProposal"
    assert ids[("POST", "/v1/proposals/{proposal_id}/accept")] == "acceptProposal"


def test_descriptions_name_who_may_call(spec: dict[str, Any]) -> None:
    operations = _operations(spec)
    assert (
        "Who may call it: provider."
        in operations[("POST", "/v1/proposals/{proposal_id}/accept")]["description"]
    )
    assert "Who may call it: admin." in operations[("GET", "/v1/keys")]["description"]
    assert (
        "Who may call it: admin, municipality."
        in operations[("POST", "/v1/planning/simulations")]["description"]
    )


def test_only_the_error_statuses_an_operation_can_answer_are_documented(
    spec: dict[str, Any],
) -> None:
    def errors(method: str, path: str) -> set[str]:
        responses = _operations(spec)[(method, path)]["responses"]
        return {s for s in responses if s[0] in "45"}

    assert errors("GET", "/v1/homes") == {"401", "403", "422", "503"}
    assert errors("PATCH", "/v1/homes/{home_id}") == {
        "400", "401", "403", "404", "409", "412", "413", "422", "503",
    }  # fmt: skip
    assert "429" in errors("GET", "/v1/children/{child_id}/options")
    assert "429" not in errors("GET", "/v1/children/{child_id}")
    assert errors("GET", "/health") == set()
    problem = _operations(spec)[("GET", "/v1/homes")]["responses"]["401"]["content"]
    assert problem["application/problem+json"]["schema"] == {
        "$ref": "#/components/schemas/ProblemDetails"
    }


def test_closed_sets_are_enums(spec: dict[str, Any]) -> None:
    options = _operations(spec)[("GET", "/v1/children/{child_id}/options")]
    lang = next(p for p in options["parameters"] if p["name"] == "lang")
    assert set(lang["schema"]["enum"]) == {"nl", "en"}
    schemas = spec["components"]["schemas"]
    assert set(schemas["ProposalStatus"]["enum"]) >= {"proposed", "accepted", "confirmed"}
    assert set(schemas["Role"]["enum"]) == {"coordinator", "provider", "municipality", "admin"}


#: Properties that name a closed set wherever they stand in a document, and the set.
CLOSED_PROPERTIES: dict[str, set[str]] = {
    "home_type": set(HomeType),
    "care_kind": set(CareKind),
    "urgency": set(Urgency),
    "split_reason": set(SplitReason),
    "audience": set(Audience),
    "lang": {"nl", "en"},
    "criterion": set(CriterionCode),
    "decline_reason_code": set(DeclineReason),
}


def _values(schema: dict[str, Any], schemas: dict[str, Any]) -> set[str] | None:
    """The values a property's schema allows, or None where it allows any string."""
    if "$ref" in schema:
        return _values(schemas[schema["$ref"].rsplit("/", 1)[1]], schemas)
    if "const" in schema:
        return {schema["const"]}
    if "enum" in schema:
        return set(schema["enum"])
    allowed: set[str] = set()
    for part in schema.get("anyOf", []) + schema.get("oneOf", []):
        if part.get("type") == "null":
            continue
        values = _values(part, schemas)
        if values is None:
            return None
        allowed |= values
    return allowed or None


def test_every_closed_set_is_an_enum_wherever_it_appears(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    seen = set()
    for name, schema in schemas.items():
        for prop, sub in (schema.get("properties") or {}).items():
            if prop not in CLOSED_PROPERTIES:
                continue
            seen.add(prop)
            values = _values(sub, schemas)
            assert values is not None, f"{name}.{prop} accepts any string"
            # A discriminator (``audience`` of a provider's view) allows one of them.
            assert values <= CLOSED_PROPERTIES[prop], f"{name}.{prop}: {sorted(values)}"
    assert seen == set(CLOSED_PROPERTIES)
    option = schemas["Option"]["properties"]
    assert _values(option["home_type"], schemas) == set(HomeType)


def test_statuses_and_reason_codes_are_enums(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    match_status = {"optimal", "feasible", "infeasible", "unknown"}
    for name in ("MatchRunPublic", "FrontierPublic", "FrontierPointPublic", "FrontierPointDoc"):
        assert _values(schemas[name]["properties"]["status"], schemas) == match_status, name
    for name in ("ReasonDoc", "ExcludedCount"):
        codes = _values(schemas[name]["properties"]["code"], schemas)
        assert codes is not None, name
        assert {"beds", "age", "care_need", "confidential"} <= codes, name
    assert _values(schemas["TakenReason"]["properties"]["code"], schemas) == {"taken"}


@pytest.mark.parametrize(
    ("key", "model"),
    [
        (("POST", "/v1/homes"), HomeCreate),
        (("POST", "/v1/children"), ChildCreate),
        (("POST", "/v1/proposals"), ProposalCreate),
        (("POST", "/v1/proposals/{proposal_id}/decline"), ProposalDecline),
        (("POST", "/v1/planning/capacity"), CapacityCreate),
        (("POST", "/v1/planning/simulations"), SimulationCreate),
    ],
)
def test_body_examples_are_valid_bodies(
    spec: dict[str, Any], key: tuple[str, str], model: Any
) -> None:
    example = _operations(spec)[key]["requestBody"]["content"]["application/json"]["example"]
    assert example == EXAMPLES[key]
    model.model_validate(example)


def _generate_client(spec_json: str, folder: Path) -> Any:
    """The client openapi-python-client generates from ``spec_json``, imported."""
    generator = Path(sys.executable).parent / "openapi-python-client"
    if importlib.util.find_spec("openapi_python_client") is None or not generator.exists():
        pytest.skip("openapi-python-client is not installed (pip install -e '.[dev]')")
    (folder / "openapi.json").write_text(spec_json)
    (folder / "config.yaml").write_text("post_hooks: []\n")
    package = folder / "dichtbij_client"
    subprocess.run(
        [
            str(generator),
            "generate",
            "--path",
            str(folder / "openapi.json"),
            "--output-path",
            str(package),
            "--meta",
            "none",
            "--config",
            str(folder / "config.yaml"),
        ],
        check=True,
        capture_output=True,
    )
    sys.path.insert(0, str(folder))
    try:
        return importlib.import_module("dichtbij_client")
    finally:
        sys.path.remove(str(folder))


def test_a_generated_client_ranks_options_and_proposes_with_typed_answers(
    api: Api, provider: Client, coordinator: Client, anonymous: Client, tmp_path: Path
) -> None:
    """Typed access through generated model classes: the ranked options document down to
    each option's criteria, and a whole proposal."""
    add_home(provider, "H-1", postcode=EDE_NEAR, beds_free=1)
    add_child(coordinator, "C-1")
    generated = _generate_client(anonymous.get("/openapi.json").text, tmp_path)
    try:
        children_api = importlib.import_module("dichtbij_client.api.children.get_child_options")
        proposals_api = importlib.import_module("dichtbij_client.api.proposals.create_proposal")
        models = importlib.import_module("dichtbij_client.models")
        client = generated.AuthenticatedClient(base_url="http://testserver", token="unused")
        client.set_httpx_client(
            TestClient(api.http.app, headers={"Authorization": f"Bearer {coordinator.key}"})
        )

        document = children_api.sync("C-1", client=client, lang=models.GetChildOptionsLang.EN)
        assert isinstance(document, models.RankDocument)
        assert document.child_id == "C-1"
        assert document.lang == "en"
        best = document.options[0]
        assert isinstance(best, models.Option)
        assert best.home_id == "H-1"
        assert isinstance(best.criteria[0], models.CriterionDoc)
        assert "distance_parents" in best.members[0].points.to_dict()
        whole = children_api.sync(
            "C-1", client=client, members=models.GetChildOptionsMembers.FULL
        ).options[0]
        assert isinstance(whole.members[0].criteria[0], models.CriterionDoc)
        assert "distance_parents" in {c.criterion for m in whole.members for c in m.criteria}

        proposal = proposals_api.sync(
            client=client, body=models.ProposalCreate(child_ids=["C-1"], home_id="H-1")
        )
        assert isinstance(proposal, models.ProposalPublic)
        assert proposal.status is models.ProposalStatus.PROPOSED
        assert proposal.home_id == "H-1"
        assert proposal.children[0].child_id == "C-1"
        assert proposal.children[0].age == 8
    finally:
        for name in [m for m in sys.modules if m.split(".")[0] == "dichtbij_client"]:
            del sys.modules[name]


def test_a_group_end_naming_an_unseen_placement_answers_a_documented_404(
    spec: dict[str, Any], coordinator: Client
) -> None:
    # The route has no path parameter, yet its body names placements: one the caller
    # may not see (or none) is a 404, which a generated client must know about.
    r = coordinator.post(
        "/v1/placements/end",
        json={"placement_ids": ["5f0c6a53-0000-4000-8000-000000000000"], "reason": "move"},
    )
    assert r.status_code == 404, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert "404" in _operations(spec)[("POST", "/v1/placements/end")]["responses"]
