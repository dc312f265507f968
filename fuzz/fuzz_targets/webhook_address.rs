#![cfg_attr(not(test), no_main)]
//! A webhook's address as typed or sent: checked without panicking, and what is accepted when
//! private targets are refused never names this machine or a private network.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = kaigi_core::webhooks::check_url(text, true);
        if let Ok(target) = kaigi_core::webhooks::check_url(text, false)
            && let Ok(ip) = target.host.parse::<std::net::IpAddr>()
        {
            assert!(kaigi_core::webhooks::is_public(ip), "{text:?} was taken as {ip}");
        }
        let events = text.split(',');
        let _ = kaigi_core::webhooks::choose_events(events, false);
    }
});
