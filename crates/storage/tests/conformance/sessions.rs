use crate::conformance;
use crate::support::{conn, with_small_region};
use chrono::Duration;
use keepsafe_domain::staff::Username;
use keepsafe_storage::sign_in::sessions;
use keepsafe_storage::staff;

conformance!(a_session_is_found_until_it_expires, |db| {
    with_small_region(db);
    let mut conn = conn(db);
    let account = staff::find_by_username(&mut conn, &Username::parse("po.demo").unwrap())
        .unwrap()
        .unwrap();
    let now = keepsafe_test_support::clock::now();
    sessions::create(
        &mut conn,
        "hash-1",
        account.id,
        "csrf-1",
        now,
        now + Duration::minutes(30),
    )
    .unwrap();
    let found = sessions::find_active(&mut conn, "hash-1", now)
        .unwrap()
        .unwrap();
    assert_eq!(found.staff_id, account.id);
    assert_eq!(found.csrf_token, "csrf-1");
    assert!(
        sessions::find_active(&mut conn, "hash-1", now + Duration::minutes(31))
            .unwrap()
            .is_none()
    );
    sessions::touch(&mut conn, "hash-1", now, now + Duration::hours(1)).unwrap();
    assert!(
        sessions::find_active(&mut conn, "hash-1", now + Duration::minutes(31))
            .unwrap()
            .is_some()
    );
    assert!(sessions::find_active(&mut conn, "other", now)
        .unwrap()
        .is_none());
});

conformance!(ending_a_users_sessions_signs_them_out_everywhere, |db| {
    with_small_region(db);
    let mut conn = conn(db);
    let account = staff::find_by_username(&mut conn, &Username::parse("po.demo").unwrap())
        .unwrap()
        .unwrap();
    let now = keepsafe_test_support::clock::now();
    for hash in ["a", "b"] {
        sessions::create(
            &mut conn,
            hash,
            account.id,
            "csrf",
            now,
            now + Duration::minutes(30),
        )
        .unwrap();
    }
    assert_eq!(
        sessions::delete_for_staff(&mut conn, account.id).unwrap(),
        2
    );
    assert!(sessions::find_active(&mut conn, "a", now)
        .unwrap()
        .is_none());
    sessions::create(
        &mut conn,
        "old",
        account.id,
        "csrf",
        now - Duration::hours(2),
        now - Duration::hours(1),
    )
    .unwrap();
    assert_eq!(sessions::delete_expired(&mut conn, now).unwrap(), 1);
});
