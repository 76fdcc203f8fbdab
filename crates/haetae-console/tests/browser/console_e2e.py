"""The console in real headless Chromium, with Chromium's virtual authenticator standing in for a passkey.

Run by tests/browser.rs, which starts the gateway with the console and passes: the console's base URL, the
operator's one-time enrolment link, an organisation's id and another organisation's id. Exits non-zero (with
the reason) on any failure.

With CONSOLE_SCREENSHOTS=<dir> in the environment it also saves a screenshot of each page, in English and in
Korean, into that directory (docs/console/ is made this way).
"""

import os
import sys

from playwright.sync_api import sync_playwright, expect

CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1000, "height": 760}


def watch(page, errors):
    """Collects script errors and failed loads; steps that expect a refusal take theirs back out."""
    # Failed loads are reported with their URL (the browser's own favicon request is not ours).
    page.on(
        "console",
        lambda m: errors.append(m.text)
        if m.type == "error" and not m.text.startswith("Failed to load resource")
        else None,
    )
    page.on(
        "response",
        lambda r: errors.append(f"{r.status} {r.url}")
        if r.status >= 400 and not r.url.endswith("/favicon.ico")
        else None,
    )


def authenticator(context, page):
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )


def expect_refused(errors, status, url_part):
    """The last failed load is the expected refusal; anything else stays an error."""
    match = [e for e in errors if e.startswith(f"{status} ") and url_part in e]
    if not match:
        raise SystemExit(f"expected a {status} for {url_part}, saw {errors}")
    errors.remove(match[-1])


def shoot(context, page, base, shots, name, path):
    """English and Korean screenshots of one page (the language cookie, as the switch link sets it)."""
    # The same cookie the switch link sets (host localhost, path /console), so the switch replaces it later.
    cookie = {"domain": "localhost", "path": "/console", "sameSite": "Strict"}
    for lang in ("en", "ko"):
        context.add_cookies([{"name": "lang", "value": lang, **cookie}])
        page.goto(f"{base}{path}")
        page.screenshot(path=os.path.join(shots, f"{name}-{lang}.png"))
    context.add_cookies([{"name": "lang", "value": "en", **cookie}])


def main(base: str, enrol_link: str, org_id: str, other_org_id: str) -> None:
    shots = os.environ.get("CONSOLE_SCREENSHOTS")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], headless=True)
        context = browser.new_context(locale="en-GB", viewport=VIEWPORT)
        page = context.new_page()
        page.set_default_timeout(15000)
        errors = []
        watch(page, errors)
        authenticator(context, page)

        # Enrol the operator's passkey from the one-time link; the console signs them in.
        page.goto(enrol_link)
        page.get_by_role("button", name="Create passkey").click()
        page.wait_for_url(f"{base}/overview")
        expect(page.get_by_role("heading", level=1)).to_have_text("Programme overview")

        # Sign out, then sign in again with the passkey alone.
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url(f"{base}/signin")
        page.get_by_label("Console user name").fill("operator")
        page.get_by_role("button", name="Continue with passkey").click()
        page.wait_for_url(f"{base}/overview")

        # Issue a key to the owner: shown once, then only its id; revoke it.
        page.goto(f"{base}/orgs/{org_id}")
        page.get_by_label("Label", exact=True).first.fill("browser laptop")
        page.get_by_role("button", name="Issue", exact=True).first.click()
        secret = page.locator("#shown-once").inner_text().strip()
        if not secret.startswith("hk_"):
            raise SystemExit(f"no key shown: {secret!r}")
        expect(page.locator("p[role=status]")).to_contain_text("shown once")
        page.get_by_role("link", name="Back").click()
        if secret in page.content():
            raise SystemExit("the key's secret is shown again")
        key_id = secret.split("_")[1]
        page.get_by_role("button", name=f"Revoke {key_id}").click()
        row = page.get_by_role("row").filter(has_text=key_id)
        expect(row).to_contain_text("revoked")

        # An owner's enrolment link, issued from the organisation's page.
        page.get_by_role("button", name="Issue an owner's enrolment link").click()
        owner_link = page.locator("#shown-once").inner_text().strip()

        # The review queue: claim the open item and resolve it.
        page.goto(f"{base}/reviews?state=open")
        page.locator("main table a").first.click()
        page.get_by_role("button", name="Claim").click()
        expect(page.locator("#review-state")).to_have_text("claimed")
        page.get_by_label("Dismiss").check()
        page.get_by_label("Notes").fill("authorised red-team exercise")
        page.get_by_role("button", name="Resolve").click()
        expect(page.locator("#review-state")).to_have_text("resolved")

        # The owner, in a browser of their own: enrol, register an engagement, see their usage.
        owner_ctx = browser.new_context(locale="en-GB", viewport=VIEWPORT)
        owner_page = owner_ctx.new_page()
        owner_page.set_default_timeout(15000)
        watch(owner_page, errors)
        authenticator(owner_ctx, owner_page)
        owner_page.goto(owner_link)
        owner_page.get_by_role("button", name="Create passkey").click()
        owner_page.wait_for_url(f"{base}/org")
        owner_page.get_by_label("Name", exact=True).fill("Harbour red team")
        owner_page.get_by_label("Targets (one per line)").fill("*.harbour.busan.example\nharbour.busan.example")
        owner_page.get_by_role("button", name="Register").click()
        owner_page.wait_for_url(f"{base}/org")
        expect(owner_page.get_by_role("row").filter(has_text="Harbour red team")).to_contain_text("active")
        owner_page.goto(f"{base}/org/usage")
        expect(owner_page.get_by_role("heading", level=1)).to_have_text("Usage: Busan CERT")
        if "Seoul CERT" in owner_page.content():
            raise SystemExit("an owner's usage page names another organisation")

        # Negative: another organisation's page is refused and names nothing of it.
        response = owner_page.goto(f"{base}/orgs/{other_org_id}")
        if response.status != 403 or "Seoul CERT" in owner_page.content():
            raise SystemExit(f"an owner reached another organisation: {response.status}")
        expect_refused(errors, 403, f"/orgs/{other_org_id}")
        response = owner_page.goto(f"{base}/usage")
        if response.status != 403:
            raise SystemExit(f"an owner reached the programme's usage: {response.status}")
        expect_refused(errors, 403, "/console/usage")

        if shots:
            os.makedirs(shots, exist_ok=True)
            shoot(owner_ctx, owner_page, base, shots, "owner-org", "/org")
            shoot(owner_ctx, owner_page, base, shots, "owner-usage", "/org/usage")

        # Negative: a form whose session has ended (signed out in another tab) is refused, and changes nothing.
        owner_page.goto(f"{base}/org")
        other_tab = owner_ctx.new_page()
        other_tab.goto(f"{base}/org")
        other_tab.get_by_role("button", name="Sign out").click()
        other_tab.wait_for_url(f"{base}/signin")
        owner_page.get_by_label("Name", exact=True).fill("Stale form")
        owner_page.get_by_label("Targets (one per line)").fill("*.stale.example")
        owner_page.get_by_role("button", name="Register").click()
        expect(owner_page.get_by_role("main")).to_contain_text("This form is out of date")
        expect_refused(errors, 403, "/org/engagements")
        if shots:
            shoot(owner_ctx, other_tab, base, shots, "signin", "/signin")

        # Negative: revoking a passkey closes the sessions it opened. The owner signs in again with theirs; the
        # operator revokes it on the console users page; the owner's next page is the sign-in page, and the
        # passkey no longer signs them in.
        owner_page.goto(f"{base}/signin")
        owner_page.get_by_label("Console user name").fill("owner@busan.example")
        owner_page.get_by_role("button", name="Continue with passkey").click()
        owner_page.wait_for_url(f"{base}/org")
        page.goto(f"{base}/people")
        page.get_by_role("button", name="Revoke owner@busan.example").click()
        page.wait_for_url(f"{base}/people")
        expect(page.get_by_role("button", name="Revoke owner@busan.example")).to_have_count(0)
        owner_page.goto(f"{base}/org")
        owner_page.wait_for_url(f"{base}/signin")
        owner_ctx.close()

        # One action: vet an organisation (suspend it), seen on its page.
        page.goto(f"{base}/orgs/{org_id}")
        page.get_by_label("Decision").select_option("suspended")
        page.get_by_label("What was checked").fill("contract lapsed")
        page.locator("#vetting-form").get_by_role("button", name="Save").click()
        expect(page.locator("#vetting-state")).to_have_text("Suspended")

        # The new operator pages answer, with their charts and tables.
        page.goto(f"{base}/usage")
        expect(page.locator("svg#chart-requests")).to_be_visible()
        page.goto(f"{base}/evals")
        page.get_by_role("link", name="ko-safety").click()
        expect(page.locator("#run-status")).to_have_text("complete")
        page.goto(f"{base}/policies")
        expect(page.locator("#policy-valid")).to_contain_text("validate")

        if shots:
            page.goto(f"{base}/evals")
            run = page.get_by_role("link", name="ko-safety").get_attribute("href")
            page.goto(f"{base}/reviews?state=resolved")
            review = page.locator("main table a").first.get_attribute("href")
            for name, path in [
                ("overview", "/overview"),
                ("orgs", "/orgs"),
                ("org", f"/orgs/{org_id}"),
                ("keys", "/keys"),
                ("models", "/models"),
                ("limits", "/limits"),
                ("usage", "/usage"),
                ("reviews", "/reviews?state=resolved"),
                ("review", review.removeprefix("/console")),
                ("evals", "/evals"),
                ("eval-run", run.removeprefix("/console")),
                ("release", "/release?model=gpt-sec"),
                ("policies", "/policies"),
                ("people", "/people"),
                ("ledger", "/ledger"),
            ]:
                shoot(context, page, base, shots, name, path)

        # The ledger page: verify the newest entry's inclusion in the browser.
        page.goto(f"{base}/ledger")
        request_id = page.locator("td.request-id").first.inner_text().strip()
        page.get_by_label("Request id").fill(request_id)
        page.get_by_role("button", name="Verify").click()
        expect(page.locator("#verify-result")).to_contain_text("Verified")

        # Switch to Korean.
        page.get_by_role("link", name="Switch the language to Korean").click()
        expect(page.locator("html")).to_have_attribute("lang", "ko")
        expect(page.get_by_role("heading", level=1)).to_have_text("투명성 원장")

        if errors:
            raise SystemExit(f"console errors in the page: {errors}")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4])
    print("console e2e: passed")
