"""个人用户注册's 所在地区 → 所在单位 (manual 002: 先选择用人单位所属区域，所在单位弹窗就会显示对应的单位; issue 13).

The form lists the regions of the provinces that review registrations and, once one is chosen, one page of
that region's employers: without script through the 选择地区 button (the form comes back with what was
typed, passwords aside), with it through /register/units. The POST checks the unit against the region."""
import re
import zlib
from datetime import date

from sqlalchemy import func, select

from backoffice.extensions import db
from backoffice.labels import ApplicationStatus, CodeType, OrgKind, RegionLevel
from backoffice.models import Organisation, Person, User
from backoffice.text import MESSAGE
from backoffice.validators import make_citizen_id, make_uscc
from pages import field_errors, flashes, list_table
from people_helpers import PASSWORD, UNIVERSITY, org_id, person, registration_unit_names
from province_rules import set_rule

HUALONG, PUYANG = "410902", "410900"
PY_UNIT, PY_HR, PY_BASE = "濮阳示范职业技术学院", "濮阳市人力资源和社会保障局", "濮阳市示范继续教育基地"
OUTSIDE = "所选单位不在所选地区的单位中，请重新选择所在单位"
UNITS = "/register/units"


def _typed(login: str, seq: int, **changes) -> dict:
    """The form as a Henan person types it, no unit chosen yet."""
    return {
        "login": login, "password": PASSWORD, "confirm": PASSWORD, "real_name": "豫选", "mobile": "13912345678",
        "country": "中国", "id_type": "resident_id", "id_number": _henan_id(seq), "email": f"{login}@example.cn",
        "region_code": "", "unit_name": "", "unit_id": "0", "question1": "您母亲的姓名是？", "answer1": "李四",
        "question2": "您父亲的姓名是？", "answer2": "张五", "question3": "您的出生地是？", "answer3": "濮阳",
        **changes,
    }


def _henan_id(seq: int) -> str:
    return make_citizen_id("410902", date(1994, 6, 7), f"{seq:03d}")


def _options(html: str, name: str) -> list[tuple[str, str]]:
    select_html = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option[^>]*value="([^"]*)"[^>]*>([^<]*)</option>', select_html)


def _unit_names(html: str) -> list[str]:
    return [text for value, text in _options(html, "unit_id") if value != "0"]


def _choose(client, data: dict) -> str:
    """选择地区 / 查找单位 without script: the same form comes back."""
    response = client.post("/register/person", {**data, "choose_region": "1"}, token_page="/register/person")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(User.id))) + db.session.scalar(select(func.count(Person.id)))


def _add_units(app, count: int, region: str = HUALONG, prefix: str = "华龙测试单位", **columns) -> None:
    with app.app_context():
        for n in range(count):
            db.session.add(Organisation(
                kind=OrgKind.UNIT, name=f"{prefix}{n:02d}", code_type=CodeType.USCC,
                code=make_uscc(f"9141{zlib.crc32(prefix.encode()) % 10000:04d}PK{n:07d}"), level=RegionLevel.COUNTY,
                region_code=region, status=columns.get("status", ApplicationStatus.APPROVED),
                active=columns.get("active", True),
            ))
        db.session.commit()


# ---- without script ---------------------------------------------------------------------------------


def test_without_script_the_region_step_lists_its_units_and_the_unit_reviews_the_registration(
        app, client, login_as):
    page = client.get("/register/person").get_data(as_text=True)
    regions = dict(_options(page, "region_code"))
    assert regions[HUALONG] == "河南省 / 濮阳市 / 华龙区" and regions[PUYANG] == "河南省 / 濮阳市"
    assert not any(code.startswith("44") for code in regions)  # Guangdong does not review registrations
    assert _unit_names(page) == []  # no region, no units: the page stays small
    assert 'id="choose-region"' in page and "register_units.js" in page

    before = _count(app)
    typed = _typed("hn_pick", 401, region_code=HUALONG)
    html = _choose(client, typed)
    assert _unit_names(html) == [PY_UNIT]  # 华龙区's HR still waits for its review: not a choice
    assert field_errors(html) == ""  # the step judges nothing but the region
    for name in ("login", "real_name", "mobile", "id_number", "email", "answer1", "answer3"):
        assert f'value="{typed[name]}"' in html, name
    assert PASSWORD not in html
    assert _count(app) == before  # nothing registered

    response = client.post("/register/person", {**typed, "unit_id": str(org_id(app, PY_UNIT))},
                           token_page="/register/person", follow_redirects=True)
    assert f"注册信息已经提交{PY_UNIT}审核，请耐心等待" in flashes(response.get_data(as_text=True))
    me = person(app, id_number=_henan_id(401))
    assert (me.unit_id, me.binding_status) == (org_id(app, PY_UNIT), "pending")
    assert "豫选" in list_table(login_as("py_unit").get("/admin/person_confirm/").get_data(as_text=True))


def test_a_city_lists_its_own_employers_not_its_districts(app, client):
    names = _unit_names(_choose(client, _typed("hn_city", 402, region_code=PUYANG)))
    assert sorted(names) == sorted([PY_HR, PY_BASE])  # Henan: every organisation employs
    assert _unit_names(_choose(client, _typed("hn_prov", 402, region_code="410000"))) == ["河南省人力资源和社会保障厅", "河南省教育厅"]


def test_a_unit_of_another_region_or_no_region_is_refused_and_nothing_is_stored(app, client):
    before = _count(app)
    cases = [
        ({"region_code": HUALONG, "unit_id": str(org_id(app, PY_HR))}, OUTSIDE),  # 濮阳市's, posted for 华龙区
        ({"region_code": HUALONG, "unit_id": str(org_id(app, UNIVERSITY))}, OUTSIDE),  # Guangdong's
        ({"region_code": "", "unit_id": str(org_id(app, PY_UNIT))}, "请先选择所在地区，再选择所在单位"),
        ({"region_code": "440106", "unit_id": str(org_id(app, UNIVERSITY))}, "请从列表中选择所在地区 " + OUTSIDE),
        ({"region_code": "abc", "unit_id": "0"}, "请从列表中选择所在地区"),
        ({"region_code": HUALONG, "unit_id": "abc"}, "请从列表中选择所在单位"),
        ({"region_code": HUALONG, "unit_id": "-1"}, "请从列表中选择所在单位"),
        ({"region_code": HUALONG, "unit_id": "99999999999999999999"}, "请从列表中选择所在单位"),
        ({"region_code": HUALONG, "unit_id": "2147483648"}, "数值超出范围"),
    ]
    for changes, message in cases:
        response = client.post("/register/person", _typed("hn_forged", 403, **changes), token_page="/register/person")
        assert response.status_code == 200, changes
        assert field_errors(response.get_data(as_text=True)) == message, changes
    assert _count(app) == before
    assert person(app, id_number=_henan_id(403)) is None
    # refused, the form offers the posted region's units to choose again
    response = client.post("/register/person", _typed("hn_forged", 403, region_code=HUALONG,
                                                      unit_id=str(org_id(app, PY_HR))), token_page="/register/person")
    assert _unit_names(response.get_data(as_text=True)) == [PY_UNIT]


def test_a_region_of_more_than_a_page_is_searched_by_name(app, client):
    _add_units(app, 60)
    html = _choose(client, _typed("hn_many", 404, region_code=HUALONG))
    assert len(_unit_names(html)) == 50
    assert '<div id="unit-search" >' in html and "仅列出前50个" in html

    found = _choose(client, _typed("hn_many", 404, region_code=HUALONG, unit_name="测试单位59"))
    assert _unit_names(found) == ["华龙测试单位59"]
    assert 'value="测试单位59"' in found

    # a unit beyond the first page registers (the server checks the region's units, not the page shown)
    last = str(org_id(app, "华龙测试单位59"))
    response = client.post("/register/person", _typed("hn_many", 404, region_code=HUALONG, unit_id=last),
                           token_page="/register/person")
    assert response.status_code == 302
    assert person(app, id_number=_henan_id(404)).unit_id == int(last)


def test_a_control_character_in_the_name_search_is_refused_in_chinese(app, client):
    before = _count(app)
    for bad in ("濮阳\x07", "\x1c"):
        html = _choose(client, _typed("hn_ctl", 405, region_code=HUALONG, unit_name=bad))
        assert field_errors(html) == MESSAGE
        assert _unit_names(html) == [PY_UNIT]  # the region's units, unsearched
        response = client.post("/register/person", _typed("hn_ctl", 405, region_code=HUALONG, unit_name=bad),
                               token_page="/register/person")
        assert response.status_code == 200 and MESSAGE in field_errors(response.get_data(as_text=True))
    assert _count(app) == before


# ---- /register/units, the script's source -----------------------------------------------------------


def test_the_units_endpoint_answers_ids_and_names_of_the_regions_approved_active_employers_only(app, client):
    _add_units(app, 1, prefix="华龙停用单位", active=False)
    _add_units(app, 1, prefix="华龙待审单位", status=ApplicationStatus.PENDING)
    _add_units(app, 1, region=PUYANG, prefix="濮阳市直单位")
    answer = client.get(f"{UNITS}?region={HUALONG}")
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    assert answer.get_json() == {"units": [{"id": org_id(app, PY_UNIT), "name": PY_UNIT}], "more": False}
    assert sorted(registration_unit_names(client, PUYANG)) == sorted([PY_HR, PY_BASE, "濮阳市直单位00"])

    # where only units employ (the rule off), an HR or a 继续教育基地 is no choice
    set_rule(app, "410000", every_org_employs=False)
    assert registration_unit_names(client, PUYANG) == ["濮阳市直单位00"]


def test_the_units_endpoint_refuses_bad_parameters(client):
    for region in ("", "abc", "41090", "4109021", "４１０９０２", "41090a"):
        answer = client.get(f"{UNITS}?region={region}")
        assert answer.status_code == 400, region
        assert answer.get_json()["error"] == "地区代码应为6位数字"
    assert client.get(UNITS).status_code == 400
    for region in ("999999", "440106", "440000"):  # unknown, or a province that does not review registrations
        assert client.get(f"{UNITS}?region={region}").status_code == 404, region
    for query in ("q=" + "濮" * 51, "q=%07", "offset=-1", "offset=x", "offset=10001", "offset=99999999999999"):
        assert client.get(f"{UNITS}?region={HUALONG}&{query}").status_code == 400, query


def test_the_units_endpoint_pages_by_fifty_and_searches(app, client):
    _add_units(app, 60)
    first = client.get(f"{UNITS}?region={HUALONG}").get_json()
    assert (len(first["units"]), first["more"]) == (50, True)
    rest = client.get(f"{UNITS}?region={HUALONG}&offset=50").get_json()
    assert (len(rest["units"]), rest["more"]) == (11, False)  # 60 and 濮阳示范职业技术学院
    assert {u["id"] for u in first["units"]}.isdisjoint(u["id"] for u in rest["units"])
    found = client.get(f"{UNITS}?region={HUALONG}&q=测试单位0").get_json()
    assert [u["name"] for u in found["units"]] == [f"华龙测试单位0{n}" for n in range(10)]
    # LIKE's wildcards are plain characters
    assert client.get(f"{UNITS}?region={HUALONG}&q=%25").get_json()["units"] == []
    assert client.get(f"{UNITS}?region={HUALONG}&q=_").get_json()["units"] == []


def test_the_units_endpoint_costs_the_same_queries_however_many_units(app, client, counting):
    def measure() -> int:
        client.get(f"{UNITS}?region={HUALONG}")
        with counting() as statements:
            assert client.get(f"{UNITS}?region={HUALONG}").status_code == 200
        return len(statements)

    before = measure()
    _add_units(app, 60)
    assert measure() == before <= 6, before  # region, rules, employing kinds, units (+ savepoints)


def test_the_register_page_does_not_grow_with_the_units(app, client, counting):
    def measure() -> tuple[int, int]:
        with counting() as statements:
            html = client.get("/register/person").get_data(as_text=True)
        return len(statements), len(html)

    before = measure()
    _add_units(app, 60)
    assert measure() == before
