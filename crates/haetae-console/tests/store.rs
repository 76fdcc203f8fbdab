//! The console's sign-in records (store migration 0004) on both databases: a link enrols once, passkeys are
//! listed until revoked, a second link adds a passkey to the same user and cannot change who they are.
//! PostgreSQL from HAETAE_TEST_POSTGRES_URL: absent, the test says so loudly and skips, except under CI=true.

// A test file: its helpers fail the test loudly, as its #[test] functions do.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use haetae_console::session::hash_token;
use haetae_console::{ConsoleRole, issue_enrolment};
use haetae_core::Role;
use haetae_store::{NewMember, NewOrganisation, Page, Store};

async fn round_trip(store: &Store) {
    store.ensure_default_tiers().await.expect("tiers");
    let suffix = haetae_core::new_id();
    let now = haetae_core::now_unix();
    let op_name = format!("op-{suffix}");
    let link = |token: &str| hash_token(token);

    // An operator's link: usable until used, then spent.
    let t1 = issue_enrolment(
        store,
        ConsoleRole::Operator,
        &op_name,
        None,
        "test",
        now,
        60,
    )
    .await
    .expect("link");
    assert!(
        store
            .usable_enrolment(&link(&t1), now)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        store
            .usable_enrolment(&link(&t1), now + 60)
            .await
            .unwrap()
            .is_none(),
        "expired"
    );
    let uid = uuid::Uuid::new_v4().to_string();
    let user = store
        .complete_enrolment(&link(&t1), now, &format!("c1-{suffix}"), "{\"k\":1}", &uid)
        .await
        .expect("enrol");
    assert_eq!(
        (user.role, user.id.as_str()),
        (ConsoleRole::Operator, uid.as_str())
    );
    assert!(
        store
            .complete_enrolment(&link(&t1), now, &format!("c9-{suffix}"), "{}", &uid)
            .await
            .is_err()
    );
    assert!(
        store
            .usable_enrolment(&link(&t1), now)
            .await
            .unwrap()
            .is_none()
    );

    // A second link for the same name adds a passkey to the same user.
    let t2 = issue_enrolment(
        store,
        ConsoleRole::Operator,
        &op_name,
        None,
        "test",
        now,
        60,
    )
    .await
    .unwrap();
    let again = store
        .complete_enrolment(
            &link(&t2),
            now,
            &format!("c2-{suffix}"),
            "{}",
            &uuid::Uuid::new_v4().to_string(),
        )
        .await
        .unwrap();
    assert_eq!(again.id, uid);
    assert_eq!(store.active_passkeys(&uid).await.unwrap().len(), 2);
    store.revoke_passkey(&format!("c1-{suffix}")).await.unwrap();
    let left = store.active_passkeys(&uid).await.unwrap();
    assert_eq!(left.len(), 1);
    store.touch_passkey(&left[0].id, "{\"k\":2}").await.unwrap();
    let touched = store.passkey(&left[0].id).await.unwrap().unwrap();
    assert_eq!(touched.passkey, "{\"k\":2}");
    assert!(touched.last_used_at.is_some());
    // A page of users' passkeys in one query: the same as one user's, and nothing for a user with none.
    let of = store
        .active_passkeys_of(&[uid.as_str(), "no-such-user"])
        .await
        .unwrap();
    assert_eq!(of.len(), 1);
    assert_eq!(of[&uid], store.active_passkeys(&uid).await.unwrap());

    // An owner's link names a member and an organisation, and cannot turn an operator into an owner.
    let org = store
        .create_org(&NewOrganisation {
            name: format!("Org {suffix}"),
            country: "KR".into(),
            sector: "cert".into(),
            tier: None,
        })
        .await
        .unwrap();
    let owner = store
        .add_member(
            &org.id,
            &NewMember {
                identity: format!("owner-{suffix}@example"),
                display_name: String::new(),
                role: Role::Owner,
                identity_verified: true,
            },
        )
        .await
        .unwrap();
    assert!(
        issue_enrolment(store, ConsoleRole::Owner, "x", None, "test", now, 60)
            .await
            .is_err(),
        "an owner's link names their organisation"
    );
    let t3 = issue_enrolment(
        store,
        ConsoleRole::Owner,
        &op_name,
        Some((owner.id.as_str(), org.id.as_str())),
        "test",
        now,
        60,
    )
    .await
    .unwrap();
    assert!(
        store
            .complete_enrolment(
                &link(&t3),
                now,
                &format!("c3-{suffix}"),
                "{}",
                &uuid::Uuid::new_v4().to_string()
            )
            .await
            .is_err(),
        "a link cannot change a user's role"
    );
    let by_name = store.console_user_by_name(&op_name).await.unwrap().unwrap();
    assert_eq!(by_name.role, ConsoleRole::Operator);
    // Users come a page at a time by name; a full page's cursor is its last name. (The PostgreSQL database is
    // shared with other runs: start just before this run's name.)
    let just_before = op_name[..op_name.len() - 1].to_string();
    let first = store
        .list_console_users(&Page {
            limit: Some(1),
            after: Some(just_before),
        })
        .await
        .unwrap();
    assert_eq!(first.data.len(), 1);
    assert_eq!(first.data[0].id, uid);
    assert_eq!(first.next_cursor.as_deref(), Some(op_name.as_str()));
    let next = store
        .list_console_users(&Page {
            limit: Some(1),
            after: first.next_cursor,
        })
        .await
        .unwrap();
    assert!(next.data.iter().all(|u| u.id != uid), "the next page");
}

#[tokio::test]
async fn sign_in_records_on_sqlite() {
    let url = format!(
        "sqlite:file:console-store-{}?mode=memory&cache=shared",
        haetae_core::new_id()
    );
    round_trip(&Store::connect(&url).await.expect("store")).await;
}

#[tokio::test]
async fn sign_in_records_on_postgres() {
    let Ok(url) = std::env::var("HAETAE_TEST_POSTGRES_URL") else {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("HAETAE_TEST_POSTGRES_URL is not set under CI=true");
        }
        eprintln!(
            "\n!!!!! SKIPPED: HAETAE_TEST_POSTGRES_URL is not set; the PostgreSQL test did not run !!!!!\n"
        );
        return;
    };
    round_trip(&Store::connect(&url).await.expect("postgres store")).await;
}
