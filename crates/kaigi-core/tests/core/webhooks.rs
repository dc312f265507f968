//! Webhooks' rules: signatures that a receiver can check, addresses that never reach this
//! machine, events chosen as a person means them.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use kaigi_core::webhooks::{Event, check_url, choose_events, is_public, signature, verify};
use proptest::prelude::*;

proptest! {
    #[test]
    fn a_signature_verifies_for_its_body_and_time_only(
        secret in "[ -~]{16,64}",
        body in proptest::collection::vec(any::<u8>(), 0..300),
        timestamp in 0i64..4_000_000_000,
        flip in any::<usize>(),
    ) {
        let signed = signature(&secret, timestamp, &body);
        prop_assert!(signed.starts_with("sha256=") && signed.len() == 7 + 64);
        prop_assert!(verify(&secret, timestamp, &body, &signed));
        prop_assert!(!verify(&secret, timestamp + 1, &body, &signed));
        let mut changed = body.clone();
        if changed.is_empty() {
            changed.push(0);
        } else {
            let at = flip % changed.len();
            changed[at] ^= 1;
        }
        prop_assert!(!verify(&secret, timestamp, &changed, &signed));
        let other = format!("{secret}x");
        prop_assert!(!verify(&other, timestamp, &body, &signed));
    }

    #[test]
    fn an_accepted_address_names_no_private_host(text in "(https?://)?[a-z0-9.:\\[\\]%@/-]{0,40}") {
        if let Ok(target) = check_url(&text, false)
            && let Ok(ip) = target.host.parse::<IpAddr>()
        {
            prop_assert!(is_public(ip), "{text:?} → {ip}");
        }
    }

    #[test]
    fn every_private_ipv4_address_is_refused_in_every_spelling(a in 0u8..=255, b in 0u8..=255, c in 0u8..=255, d in 0u8..=255) {
        let ip = Ipv4Addr::new(a, b, c, d);
        let decimal = u32::from(ip);
        for url in [format!("http://{ip}/"), format!("http://{decimal}/"), format!("http://[::ffff:{ip}]/")] {
            let accepted = check_url(&url, false).is_ok();
            prop_assert_eq!(accepted, is_public(IpAddr::V4(ip)), "{}", url);
        }
    }
}

#[test]
fn the_addresses_an_attacker_reaches_for_are_not_public() {
    for ip in [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.0.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "255.255.255.255",
        "224.0.0.1",
        "198.18.0.1",
        "::1",
        "::",
        "fd00::1",
        "fe80::1",
        "::ffff:10.0.0.1",
        "64:ff9b::7f00:1",
        "2002:7f00:1::",
    ] {
        assert!(!is_public(ip.parse().unwrap()), "{ip}");
    }
    for ip in ["8.8.8.8", "133.242.0.1", "2001:4860:4860::8888"] {
        assert!(is_public(ip.parse().unwrap()), "{ip}");
    }
    assert!(is_public(IpAddr::V6(Ipv6Addr::new(0x2400, 0xcb00, 0, 0, 0, 0, 0, 1))));
}

#[test]
fn names_of_this_machine_are_refused_and_allowed_on_request() {
    for url in [
        "http://localhost/h",
        "http://LOCALHOST./h",
        "https://api.localhost/h",
        "http://0x7f.1/h",
        "http://017700000001/h",
    ] {
        assert!(check_url(url, false).is_err(), "{url}");
        assert!(check_url(url, true).is_ok(), "{url} with private targets allowed");
    }
    let target = check_url("  https://Hooks.Example.org:8443/kaigi?x=1  ", false).unwrap();
    assert_eq!(
        (target.url.as_str(), target.host.as_str()),
        ("https://hooks.example.org:8443/kaigi?x=1", "hooks.example.org")
    );
}

#[test]
fn events_are_chosen_once_each_in_list_order() {
    let chosen = choose_events(["decision.made", "proposal.submitted", "decision.made"], false).unwrap();
    assert_eq!(chosen, [Event::ProposalSubmitted, Event::DecisionMade]);
    assert_eq!(choose_events(["minutes.published"], false).unwrap_err().key, "error-webhook-event");
    assert_eq!(choose_events(["minutes.published"], true).unwrap(), [Event::MinutesPublished]);
    assert_eq!(choose_events(["ping"], true).unwrap_err().key, "error-webhook-event");
    assert_eq!(choose_events(Vec::<&str>::new(), true).unwrap_err().key, "error-webhook-no-event");
    for event in Event::SUBSCRIBABLE {
        assert_eq!(Event::parse(event.name()), Some(event));
    }
}

#[test]
fn an_address_is_a_uri_and_a_pasted_one_is_written_as_one() {
    for text in ["http://example.org/a<b>", "http://example.org/a b", "http://example.org/%zz", "https://例え.jp/受信"]
    {
        assert_eq!(check_url(text, false).unwrap_err().key, "error-webhook-url", "{text}");
    }
    let pasted = kaigi_core::webhooks::as_typed(" https://例え.jp/受信 ");
    assert_eq!(pasted, "https://xn--r8jz45g.jp/%E5%8F%97%E4%BF%A1");
    assert_eq!(check_url(&pasted, false).unwrap().host, "xn--r8jz45g.jp");
    assert_eq!(kaigi_core::webhooks::as_typed("no address"), "no address");
}
