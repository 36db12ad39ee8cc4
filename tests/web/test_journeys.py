"""The main journeys end to end in Chromium, each once with the mouse and once by keyboard.

A leader finds a course for K3.2 and enrols; a chef approves a request; a full run puts
a leader on the waiting list. Each journey uses people of its own, so the order in
which the tests run does not matter. The keyboard versions reach every control with
Tab and use it with Enter, Space or typing, never a click.
"""

from __future__ import annotations

from playwright.sync_api import Browser, Locator, Page, expect

from tests.web.browser import DESKTOP, LiveServer, assert_accessible, login_as

#: Course titles from the demo catalogue (seed/demo.yaml).
K32_COURSE = "Klar kommunikation – formidling af beslutninger og forandringer"
APPROVAL_COURSE = "360-graders ledelsesevaluering med coach"
FULL_COURSE = "Konflikthåndtering for ledere"
#: Its first run, full in the demo data.
FULL_RUN = "KUR-KONFLIKT-H1"
MAX_TABS = 600


def tab_to(page: Page, target: Locator) -> None:
    """Press Tab until ``target`` has the focus; fails when the keyboard cannot reach it."""
    handle = target.element_handle()
    assert handle is not None
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("(el) => document.activeElement === el", handle):
            return
    raise AssertionError(f"{target} kan ikke nås med Tab")


def follow(page: Page, key: str) -> None:
    """Press ``key`` on a link or a submit button and wait for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press(key)


def keyboard_login(page: Page, server: LiveServer, name: str) -> None:
    page.goto(f"{server.url}/log-ind")
    tab_to(page, page.get_by_role("button", name=f"Log ind som {name}", exact=True))
    follow(page, "Enter")
    expect(page.locator("h1")).to_have_text(f"Velkommen, {name}")


# --- a leader finds a course for K3.2 and enrols ------------------------------------------


def test_a_leader_finds_a_course_for_k3_2_and_enrols(page: Page, live_server: LiveServer) -> None:
    login_as(page, live_server, "Camilla Friis")
    page.get_by_role("link", name="Kurser", exact=True).first.click()
    page.get_by_label("Udsagn").select_option("K3.2")
    page.get_by_role("button", name="Søg").click()
    page.get_by_role("link", name=K32_COURSE).click()
    expect(page.locator("h1")).to_have_text(K32_COURSE)
    page.get_by_label("Motivation").fill("Jeg vil blive bedre til at formidle beslutninger.")
    page.locator("#focus").get_by_label("K3.2", exact=False).check()
    page.get_by_role("button", name="Tilmeld").click()
    expect(page.get_by_role("status")).to_contain_text("Du er tilmeldt holdet.")
    assert_accessible(page)
    page.get_by_role("link", name="Mine tilmeldinger").first.click()
    card = page.locator(".card-list > li", has_text=K32_COURSE)
    expect(card).to_contain_text("tilmeldt")
    expect(card).to_contain_text("K3.2")


def test_a_leader_finds_a_course_for_k3_2_and_enrols_by_keyboard(
    page: Page, live_server: LiveServer
) -> None:
    keyboard_login(page, live_server, "Henrik Sandberg")
    page.goto(f"{live_server.url}/profil")
    tab_to(page, page.get_by_role("link", name="Find kurser til K3.2"))
    follow(page, "Enter")
    tab_to(page, page.get_by_role("link", name=K32_COURSE))
    follow(page, "Enter")
    tab_to(page, page.get_by_label("Motivation"))
    page.keyboard.type("Klarere kommunikation i min skole.")
    tab_to(page, page.locator("#focus").get_by_label("K3.2", exact=False))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Tilmeld"))
    follow(page, "Enter")
    expect(page.get_by_role("status")).to_contain_text("Du er tilmeldt holdet.")


# --- a chef approves ---------------------------------------------------------------------


def _request_approval(page: Page, server: LiveServer, leader: str, *, keyboard: bool) -> None:
    if keyboard:
        keyboard_login(page, server, leader)
        page.goto(f"{server.url}/kurser?q=360-graders")
        tab_to(page, page.get_by_role("link", name=APPROVAL_COURSE))
        follow(page, "Enter")
        tab_to(page, page.get_by_label("Motivation"))
        page.keyboard.type("Jeg vil have feedback fra mine medarbejdere.")
        tab_to(page, page.get_by_role("button", name="Tilmeld"))
        follow(page, "Enter")
    else:
        login_as(page, server, leader)
        page.goto(f"{server.url}/kurser?q=360-graders")
        page.get_by_role("link", name=APPROVAL_COURSE).click()
        page.get_by_label("Motivation").fill("Jeg vil have feedback fra mine medarbejdere.")
        page.get_by_role("button", name="Tilmeld").click()
    expect(page.get_by_role("status")).to_contain_text("sendt til godkendelse")


def _chef_approves(browser: Browser, server: LiveServer, leader: str, *, keyboard: bool) -> None:
    context = browser.new_context(viewport=DESKTOP, locale="da-DK")
    try:
        chef = context.new_page()
        if keyboard:
            keyboard_login(chef, server, "Mette Kjærgaard")
            tab_to(chef, chef.get_by_role("link", name="Godkendelser").first)
            follow(chef, "Enter")
            assert_accessible(chef)
            tab_to(chef, chef.get_by_role("button", name=f"Godkend {leader}"))
            follow(chef, "Enter")
        else:
            login_as(chef, server, "Mette Kjærgaard")
            chef.get_by_role("link", name="Godkendelser").first.click()
            chef.get_by_role("button", name=f"Godkend {leader}").click()
        expect(chef.get_by_role("status")).to_contain_text("Tilmeldingen er godkendt.")
        expect(chef.get_by_role("button", name=f"Godkend {leader}")).to_have_count(0)
    finally:
        context.close()


def test_a_chef_approves_a_request(browser: Browser, page: Page, live_server: LiveServer) -> None:
    _request_approval(page, live_server, "Karsten Møller", keyboard=False)
    _chef_approves(browser, live_server, "Karsten Møller", keyboard=False)
    page.goto(f"{live_server.url}/mine/tilmeldinger")
    expect(page.locator(".card-list > li", has_text=APPROVAL_COURSE)).to_contain_text("tilmeldt")


def test_a_chef_approves_a_request_by_keyboard(
    browser: Browser, page: Page, live_server: LiveServer
) -> None:
    _request_approval(page, live_server, "Yasmin Hassan", keyboard=True)
    _chef_approves(browser, live_server, "Yasmin Hassan", keyboard=True)


def test_a_chef_rejecting_without_a_reason_is_told_so_at_the_field(
    browser: Browser, page: Page, live_server: LiveServer
) -> None:
    _request_approval(page, live_server, "Lene Bech", keyboard=False)
    context = browser.new_context(viewport=DESKTOP, locale="da-DK")
    try:
        chef = context.new_page()
        login_as(chef, live_server, "Mette Kjærgaard")
        chef.goto(f"{live_server.url}/godkendelser")
        chef.get_by_role("button", name="Afvis Lene Bech").click()
        field = chef.get_by_label("Begrundelse for afvisning af Lene Bech")
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(chef.locator(".alert-error")).to_contain_text("Skriv en begrundelse.")
        expect(chef.locator("#reason-error, [id$='-error']").first).to_contain_text(
            "Skriv en begrundelse."
        )
        assert_accessible(chef)
        field.fill("Holdet passer ikke med budgettet i år.")
        chef.get_by_role("button", name="Afvis Lene Bech").click()
        expect(chef.get_by_role("status")).to_contain_text("Tilmeldingen er afvist")
    finally:
        context.close()


# --- a full run puts a leader on the waiting list -----------------------------------------


def test_a_full_run_puts_a_leader_on_the_waiting_list(page: Page, live_server: LiveServer) -> None:
    login_as(page, live_server, "Maria Ebbesen")
    page.goto(f"{live_server.url}/kurser?q=Konflikth%C3%A5ndtering")
    page.get_by_role("link", name=FULL_COURSE).click()
    expect(page.get_by_text("Fuldt (venteliste)").first).to_be_visible()
    page.get_by_label(FULL_RUN, exact=False).check()
    page.get_by_role("button", name="Tilmeld").click()
    expect(page.get_by_role("status")).to_contain_text("du er skrevet på ventelisten")
    expect(page.locator("table")).to_contain_text("på ventelisten")
    position = page.locator("td", has_text="på ventelisten").first.inner_text()
    assert "nr. " in position


def test_a_full_run_puts_a_leader_on_the_waiting_list_by_keyboard(
    page: Page, live_server: LiveServer
) -> None:
    keyboard_login(page, live_server, "Peter Skov")
    page.goto(f"{live_server.url}/kurser?q=Konflikth%C3%A5ndtering")
    tab_to(page, page.get_by_role("link", name=FULL_COURSE))
    follow(page, "Enter")
    tab_to(page, page.get_by_label(FULL_RUN, exact=False))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Tilmeld"))
    follow(page, "Enter")
    expect(page.get_by_role("status")).to_contain_text("du er skrevet på ventelisten")


def test_a_double_submit_stores_one_enrolment(page: Page, live_server: LiveServer) -> None:
    """The same form sent twice (a double click, a resent POST) gives one enrolment."""
    login_as(page, live_server, "Anja Lykke")
    page.goto(f"{live_server.url}/kurser?udsagn=K3.2")
    page.get_by_role("link", name=K32_COURSE).click()
    page.get_by_label("Motivation").fill("To gange samme formular.")
    form = page.locator("form[action$='/tilmeld']")
    action = live_server.url + str(form.get_attribute("action"))
    body = form.evaluate("(f) => new URLSearchParams(new FormData(f)).toString()")
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    answers = [page.request.post(action, data=body, headers=headers) for _ in range(2)]
    assert [answer.status for answer in answers] == [200, 200]  # both end on the course page
    assert all("Du er tilmeldt holdet." in answer.text() for answer in answers)
    page.goto(f"{live_server.url}/mine/tilmeldinger")
    expect(page.locator(".card-list > li", has_text=K32_COURSE)).to_have_count(1)
