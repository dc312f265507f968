#![cfg_attr(not(test), no_main)]
//! `kaigi schedule solve` input: an instance or a located error, never a panic; a valid one is
//! solved (briefly) and its report recounted.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(instance) = serde_json::from_slice::<kaigi_core::timetable::Instance>(data)
        && instance.sessions.len() <= 64
        && let Ok(solution) = kaigi_core::timetable::solve(&instance, std::time::Duration::from_millis(2))
    {
        let _ = solution.to_json();
    }
});
