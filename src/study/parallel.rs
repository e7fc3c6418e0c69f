//! Work spread over the machine's cores. Reading a study is mostly parsing
//! many independent files (TOML codings, transcripts), so the commands
//! that read many of them share the files between a few threads and keep
//! the results in the order given, which keeps their output deterministic.

/// How many threads a read uses: the machine's cores, at most 8 (beyond
/// that the disk, not the parser, is the limit, and a shared server's
/// other users need their share).
pub(crate) fn threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8)
}

/// `f` applied to every item, on [`threads`] threads, each taking one
/// contiguous part; the results come back in the items' order.
pub(crate) fn map_in_order<T, R, F>(items: &[T], f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    let chunk = items.len().div_ceil(threads()).max(1);
    if items.len() <= chunk {
        return items.iter().map(&f).collect();
    }
    let f = &f;
    std::thread::scope(|scope| {
        let jobs: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<_>>()))
            .collect();
        jobs.into_iter()
            .flat_map(|job| match job.join() {
                Ok(part) => part,
                // A panic in a reader is a bug: pass it on as it was.
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    })
}

/// `keep` applied to every item on [`threads`] threads while `each`
/// takes the results in the items' order on the calling thread, so that
/// the work done one item after the other (judging, counting, writing)
/// overlaps with the parsing instead of waiting for it. Items go out in
/// batches of `batch`, batch `i` to thread `i % threads`; each thread
/// runs at most one batch ahead of `each`, so only a few batches of
/// results exist at once whatever the number of items.
pub(crate) fn fold_in_order<T, R, K, E>(items: &[T], batch: usize, keep: K, mut each: E)
where
    T: Sync,
    R: Send,
    K: Fn(&T) -> R + Sync,
    E: FnMut(&T, R),
{
    let batches: Vec<&[T]> = items.chunks(batch.max(1)).collect();
    let workers = threads().min(batches.len());
    if workers <= 1 {
        for part in batches {
            for item in part {
                each(item, keep(item));
            }
        }
        return;
    }
    let (keep, batches) = (&keep, &batches);
    std::thread::scope(|scope| {
        let results: Vec<_> = (0..workers)
            .map(|w| {
                let (send, receive) = std::sync::mpsc::sync_channel::<Vec<R>>(1);
                scope.spawn(move || {
                    for part in batches.iter().skip(w).step_by(workers) {
                        let kept = part.iter().map(keep).collect();
                        // `each` stopped (it panicked): nothing more is wanted.
                        if send.send(kept).is_err() {
                            return;
                        }
                    }
                });
                receive
            })
            .collect();
        for (i, part) in batches.iter().enumerate() {
            // A worker that panicked dropped its sender: the scope passes
            // its panic on once this loop stops.
            let Ok(kept) = results[i % workers].recv() else {
                break;
            };
            for (item, r) in part.iter().zip(kept) {
                each(item, r);
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_order_of_the_items() {
        let items: Vec<u32> = (0..1000).collect();
        let out = map_in_order(&items, |n| n * 2);
        assert_eq!(out, items.iter().map(|n| n * 2).collect::<Vec<_>>());
    }

    #[test]
    fn a_fold_sees_every_result_in_order() {
        let items: Vec<u32> = (0..1000).collect();
        for batch in [1, 7, 64, 5000] {
            let mut seen = Vec::new();
            fold_in_order(&items, batch, |n| n * 2, |n, twice| seen.push((*n, twice)));
            let expected: Vec<(u32, u32)> = items.iter().map(|n| (*n, n * 2)).collect();
            assert_eq!(seen, expected, "batch {batch}");
        }
        let mut none = 0;
        fold_in_order(&[] as &[u32], 4, |n| *n, |_, _| none += 1);
        assert_eq!(none, 0);
    }

    #[test]
    fn no_items_give_no_results() {
        let out: Vec<u32> = map_in_order(&[] as &[u32], |n| *n);
        assert!(out.is_empty());
    }

    #[test]
    fn work_is_shared_between_threads_when_there_is_enough() {
        let items: Vec<u32> = (0..64).collect();
        let ids = map_in_order(&items, |_| std::thread::current().id());
        let distinct: std::collections::BTreeSet<_> =
            ids.iter().map(|id| format!("{id:?}")).collect();
        assert_eq!(distinct.len(), threads().min(items.len()));
    }
}
