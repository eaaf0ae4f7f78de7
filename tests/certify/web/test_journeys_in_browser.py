"""The programme end to end in a real browser, on a fresh demo, one phone per person in
Chinese: the operator enters an inventory by form and another by CSV, retires credits
and applies; the district assigns the verifier; the verifier reviews and asks for a
change, which the operator answers with a file of evidence; the verifier judges every
criterion and signs off with a key made in their browser; the district issues; a
tourist's ``/v/`` page shows the certificate valid; the district revokes it; the
tourist's page shows it revoked."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest

from footprint.accounts.users import set_password, user_by_email
from footprint.platform.db import db
from tests.certify.builders import PDF_FILE
from tests.conftest import assert_accessible, assert_fits, screenshot
from tests.people import PASSWORD, sign_in_browser

OPERATOR = "operator@scenic.example"
VERIFIER = "auditor@hncvc.example"
ADMIN = "admin@wulingyuan.example"
VENUE = "黄石寨餐厅"
LAST_YEAR = date.today().year - 1


@pytest.fixture
def demo(app) -> None:
    """The demo, loaded as `flask demo` loads it, its people given a password."""
    loaded = app.test_cli_runner().invoke(args=["demo"])
    assert loaded.exit_code == 0, loaded.output
    with app.app_context():
        for email in (OPERATOR, VERIFIER, ADMIN):
            set_password(user_by_email(email), password=PASSWORD)
        db.session.commit()


@pytest.fixture
def person(browser, live_server) -> Callable[[str, str], object]:
    """``person(email, path)``: a phone of its own (360 px, Chinese), signed in as
    ``email`` on ``path``; ``person(None, path)`` is a tourist who signs in nowhere."""
    contexts = []

    def make(email: str | None, path: str):
        context = browser.new_context(viewport={"width": 360, "height": 780}, locale="zh-CN")
        contexts.append(context)
        phone = context.new_page()
        if email is None:
            phone.goto(f"{live_server}{path}")
        else:
            sign_in_browser(phone, live_server, path, email)
        return phone

    yield make
    for context in contexts:
        context.close()


def main_text(phone) -> str:
    return phone.locator("main").inner_text()


def enter_inventories(phone, tmp_path) -> int:
    """Register the venue, enter last year's inventory by form and the year before's by
    CSV; last year's id."""
    phone.get_by_role("link", name="登记场所").click()
    phone.get_by_label("名称").fill(VENUE)
    phone.get_by_label("类型").select_option("restaurant")
    phone.get_by_role("button", name="保存").click()
    phone.get_by_role("link", name="填报排放清单").click()
    form = phone.locator("form").nth(0)
    form.get_by_label("起始日").fill(f"{LAST_YEAR}-01-01")
    form.get_by_label("截止日").fill(f"{LAST_YEAR}-12-31")
    phone.locator("#k0").select_option("grid_electricity")
    phone.locator("#q0").fill("120")
    phone.locator("#u0").fill("MWh")
    form.get_by_role("button", name="保存排放清单").click()
    assert f"排放清单 {LAST_YEAR}-01-01" in phone.locator("h1").inner_text()
    inventory_id = int(phone.url.rsplit("/", 1)[1])
    phone.go_back()
    lines = tmp_path / "lines.csv"
    lines.write_text("kind,key,quantity,unit\ngrid_electricity,,130,MWh\nfuel,diesel,500,L\n")
    form = phone.locator("form").nth(1)
    form.get_by_label("起始日").fill(f"{LAST_YEAR - 1}-01-01")
    form.get_by_label("截止日").fill(f"{LAST_YEAR - 1}-12-31")
    form.get_by_label("CSV 文件").set_input_files(str(lines))
    form.get_by_role("button", name="检查并预览").click()
    assert "所有行均无误" in main_text(phone)
    phone.get_by_role("button", name="保存排放清单").click()
    assert f"排放清单 {LAST_YEAR - 1}-01-01" in phone.locator("h1").inner_text()
    return inventory_id


def retire(phone, live_server: str, credits: int) -> None:
    """Retire ``credits`` for the venue from the first holding."""
    phone.goto(f"{live_server}/workspace/credits")
    phone.get_by_role("link", name="注销或转让这些信用").first.click()
    start = phone.locator("#retire-serial_start").input_value()
    prefix, number = re.fullmatch(r"(.*-)(\d+)", start).groups()
    phone.locator("#retire-serial_end").fill(f"{prefix}{int(number) + credits - 1:0{len(number)}d}")
    phone.locator("#retire-beneficiary").fill(VENUE)
    phone.locator("#retire-purpose").fill(f"{LAST_YEAR} 年度碳中和")
    phone.get_by_role("button", name="注销", exact=True).click()
    assert f"已为 {VENUE} 注销 {credits} 个信用。" in main_text(phone)


def apply(phone, live_server: str, inventory_id: int) -> int:
    """Start the application for the inventory with the retirement, and submit it."""
    phone.goto(f"{live_server}/workspace/applications/new?inventory={inventory_id}")
    phone.locator("label", has_text=VENUE).first.click()  # the retirement for the venue
    phone.get_by_label("边界（中文）").fill("黄石寨餐厅：厨房、餐厅与冷库。")
    phone.get_by_label("边界（英文）").fill("The Huangshizhai restaurant and its cold store.")
    phone.get_by_label("基准期：起始日").fill("2019-01-01")
    phone.get_by_label("基准期：截止日").fill("2019-12-31")
    phone.get_by_label("基准年排放（吨二氧化碳当量）").fill("90")
    phone.get_by_label("目标 1：年份").fill("2030")
    phone.get_by_label("目标 1：减排对象").select_option("total")
    phone.get_by_label("目标 1：减排比例（%）").fill("30")
    phone.get_by_label("措施 1", exact=True).fill("厨房电气化")
    phone.get_by_label("措施 1：责任部门").fill("后勤部")
    phone.get_by_label("措施 1：完成期限").fill("2027-06-30")
    phone.get_by_label("抵消策略").fill("武陵源林业碳汇")
    phone.get_by_label("进展的公布方式").fill("每年在景区网站公布。")
    phone.get_by_role("button", name="保存").click()
    assert "申请：" in phone.locator("h1").inner_text()
    application_id = int(phone.url.split("?")[0].rsplit("/", 1)[1])
    assert "符合要求" in main_text(phone)  # the offset report, rule by rule
    phone.get_by_role("button", name="提交核查").click()
    assert "已提交" in phone.locator("#main dl").first.inner_text()
    return application_id


def judge_everything(phone) -> None:
    """Record "conforms", with findings, for every judgement criterion."""
    forms = phone.locator("form[action*='/criteria/']")
    for i in range(forms.count()):
        form = forms.nth(i)
        form.get_by_label("您的判定").select_option("conforms")
        form.get_by_label("审核发现（不符合时必填）").fill("已查验电表读数与发票。")
        form.get_by_role("button", name="记录判定").click()
        phone.wait_for_load_state()


def test_an_application_goes_from_the_operator_to_a_revoked_certificate(
    live_server, person, demo, tmp_path
):
    operator = person(OPERATOR, "/workspace")
    inventory_id = enter_inventories(operator, tmp_path)
    retire(operator, live_server, 80)
    number = apply(operator, live_server, inventory_id)
    assert_fits(operator)
    screenshot(operator, "journey-operator-applied")
    application = f"/admin/applications/{number}"

    admin = person(ADMIN, application)
    admin.locator("#verifier").fill(VERIFIER)
    admin.locator("#assign-button").click()
    assert VERIFIER in admin.locator("#facts").inner_text()

    verifier = person(VERIFIER, "/review")
    verifier.get_by_role("link", name=VENUE).click()
    verifier.get_by_role("button", name="开始审核").click()
    verifier.locator("#reason").fill("请补充冷库制冷剂的台账。")
    verifier.get_by_role("button", name="要求修改").click()
    assert "待修改" in verifier.locator("main dl").first.inner_text()

    operator.goto(f"{live_server}/workspace/applications/{number}")
    assert "请补充冷库制冷剂的台账。" in main_text(operator)
    operator.get_by_label("边界（中文）").fill("黄石寨餐厅：厨房、餐厅与冷库（冷库无制冷剂充注）。")
    operator.get_by_role("button", name="保存").click()
    meter = tmp_path / "冷库电表读数.pdf"
    meter.write_bytes(PDF_FILE)
    operator.locator("#evidence-file").set_input_files(str(meter))
    operator.locator("#evidence-description").fill("冷库电表读数与制冷剂台账")
    operator.locator("#evidence-criterion_id").select_option("Q-6")
    operator.get_by_role("button", name="附上文件").click()
    assert "冷库电表读数.pdf" in main_text(operator)
    assert_accessible(operator)
    operator.get_by_role("button", name="重新提交").click()
    assert "已重新提交" in operator.locator("#main dl").first.inner_text()

    verifier.goto(f"{live_server}/review/applications/{number}")
    assert "冷库电表读数与制冷剂台账" in main_text(verifier)  # the evidence, to check against
    judge_everything(verifier)
    assert "尚未判定" not in main_text(verifier)
    assert_accessible(verifier)
    screenshot(verifier, "journey-review-screen")
    verifier.goto(f"{live_server}/review/keys")
    verifier.get_by_role("button", name="在本浏览器中生成新密钥并登记").click()
    verifier.wait_for_load_state("networkidle")
    registered = verifier.locator("#active-fingerprint code").inner_text()
    verifier.locator("#browser-fingerprint").filter(has_text=registered).wait_for()
    verifier.goto(f"{live_server}/review/applications/{number}")
    verifier.get_by_role("link", name="签署并批准").click()
    verifier.get_by_label("结论").fill("未发现实质性错报。")
    verifier.get_by_role("button", name="准备签署").click()
    verifier.get_by_role("button", name="用本浏览器中的密钥签名并批准").click()
    verifier.wait_for_url(f"{live_server}/review/applications/{number}/signed")

    admin.goto(f"{live_server}{application}")
    admin.locator("#issue-button").click()
    assert "已颁发证书" in admin.locator("#state").inner_text()
    verification = admin.locator("#document-page").get_attribute("href")
    assert_accessible(admin)
    screenshot(admin, "journey-admin-issued")

    tourist = person(None, verification)
    assert "有效" in main_text(tourist)
    screenshot(tourist, "journey-tourist-valid")

    admin.locator("#revoke-reason").fill("演示：核查发现数据错误。")
    admin.locator("#revoke-button").click()
    assert "已撤销" in admin.locator("#state").inner_text()
    tourist.reload()
    assert "已撤销" in main_text(tourist)
    assert_fits(tourist)
    screenshot(tourist, "journey-tourist-revoked")
