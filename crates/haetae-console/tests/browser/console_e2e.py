"""The console in real headless Chromium, with Chromium's virtual authenticator standing in for a passkey.

Run by tests/browser.rs, which starts the gateway with the console and passes: the console's base URL, the
operator's one-time enrolment link and an organisation's id. Exits non-zero (with the reason) on any failure.
"""

import sys

from playwright.sync_api import sync_playwright, expect

CHROMIUM = "/usr/bin/chromium"


def main(base: str, enrol_link: str, org_id: str) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], headless=True)
        context = browser.new_context(locale="en-GB")
        page = context.new_page()
        page.set_default_timeout(15000)
        errors = []
        # Failed loads are reported below with their URL (the browser's own favicon request is not ours).
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

        # One action: vet an organisation (suspend it), seen on its page.
        page.goto(f"{base}/orgs/{org_id}")
        page.get_by_label("Decision").select_option("suspended")
        page.get_by_label("What was checked").fill("contract lapsed")
        page.get_by_role("button", name="Save").click()
        expect(page.locator("#vetting-state")).to_have_text("Suspended")

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
    main(sys.argv[1], sys.argv[2], sys.argv[3])
    print("console e2e: passed")
