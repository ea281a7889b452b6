//! Every golden PHP 8.2 case must match: values exactly, PHP rejections as `schedule.invalid`,
//! and only strings listed as refused may be `schedule.unsupported`.

use crate::support::schedule_oracle;

#[test]
fn engine_matches_php_on_every_oracle_case() {
    let summary = schedule_oracle::run();
    println!(
        "schedule oracle: {} cases compared, {} values matched, {} PHP rejections matched, {} refused as unsupported ({} of them rejected by PHP), {} mismatches",
        summary.compared,
        summary.values_matched,
        summary.rejections_matched,
        summary.unsupported,
        summary.rejected_as_unsupported,
        summary.mismatches.len()
    );
    assert!(summary.compared >= 2500, "only {} oracle cases", summary.compared);
    assert!(
        summary.mismatches.is_empty(),
        "{} mismatches:\n{}",
        summary.mismatches.len(),
        summary.mismatches.join("\n")
    );
}
