//! Interval sweeps over a transcript's units, for turning segments into
//! judgments: which coders are present on each stretch of units, and how
//! many units some segment covers.

/// Number of unit indices covered by the half-open intervals (sorts them).
pub(super) fn union_len(spans: &mut [(u32, u32)]) -> usize {
    spans.sort_unstable();
    let mut total = 0usize;
    let mut reach = 0u32;
    for &(lo, hi) in spans.iter() {
        let lo = lo.max(reach);
        if hi > lo {
            total += (hi - lo) as usize;
            reach = hi;
        }
    }
    total
}

/// Walks interval edges `(position, coder, opens)` in order and reports
/// every stretch of units where at least one coder's interval is open, as
/// (first unit, set of coders present, number of units). Overlapping intervals of one
/// coder are counted, so a coder stays present until the last one closes.
pub(super) fn sweep(edges: &mut [(u32, u8, bool)], mut emit: impl FnMut(u32, u64, u64)) {
    edges.sort_unstable();
    let mut open = [0u32; 64];
    let mut present = 0u64;
    let mut at = 0u32;
    for &(pos, coder, opens) in edges.iter() {
        if pos > at && present != 0 {
            emit(at, present, u64::from(pos - at));
        }
        at = pos;
        let k = coder as usize;
        if opens {
            open[k] += 1;
            present |= 1u64 << k;
        } else {
            open[k] -= 1;
            if open[k] == 0 {
                present &= !(1u64 << k);
            }
        }
    }
}
