#![cfg_attr(not(test), no_main)]
//! frab schedule.xml / schedule.json from anywhere: a schedule or a reason, never a panic; and
//! whatever is read becomes an instance whose published placements the checker can count.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(schedule) = kaigi_core::frab::parse(text)
    {
        let (instance, published, _) = kaigi_core::frab::to_instance(&schedule);
        if let Ok(problem) = kaigi_core::timetable::Problem::new(&instance)
            && let Ok(slots) = kaigi_core::timetable::slots_from_placements(&problem, &published)
        {
            let _ = kaigi_core::timetable::evaluate(&problem, &slots);
        }
    }
});
