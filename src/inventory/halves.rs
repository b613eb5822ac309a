//! Splitting a large list in two and working on both halves at once.
//!
//! Inventory runs on machines with few cores (CI runners, laptops), and each
//! of its passes over a large estate is either one pass over one list or a
//! few of them in a row: two halves on two threads use what there is without
//! a thread pool.

#[cfg(test)]
thread_local! {
    /// Set by tests to run every split pass on one thread, so the two-thread
    /// results can be compared with the one-thread ones.
    pub(super) static ONE_THREAD: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether a pass over `len` items, with two threads from `from` items on,
/// is split in two.
pub(super) fn split(len: usize, from: usize) -> bool {
    #[cfg(test)]
    if ONE_THREAD.get() {
        return false;
    }
    len >= from.max(2)
}

/// Runs `work` over the two halves of `items` at once, the first half on a
/// new thread, when there are at least `from` items; otherwise over all of
/// them on this thread. `work` gets the position of its slice's first item.
/// The results come back in the order of the slices.
pub(super) fn halves<T, R, F>(items: &[T], from: usize, work: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(usize, &[T]) -> R + Sync,
{
    if !split(items.len(), from) {
        return vec![work(0, items)];
    }
    let (first, second) = items.split_at(items.len() / 2);
    std::thread::scope(|scope| {
        let a = scope.spawn(|| work(0, first));
        let b = work(first.len(), second);
        let a = a
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        vec![a, b]
    })
}

/// Runs `work` over the two halves of `items` at once, as [`halves`] does,
/// for work that changes the items in place.
pub(super) fn halves_mut<T, F>(items: &mut [T], from: usize, work: F)
where
    T: Send,
    F: Fn(&mut [T]) + Sync,
{
    if !split(items.len(), from) {
        return work(items);
    }
    let (first, second) = items.split_at_mut(items.len() / 2);
    std::thread::scope(|scope| {
        let a = scope.spawn(|| work(first));
        work(second);
        a.join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    });
}

#[cfg(test)]
mod tests {
    use super::{halves, halves_mut};

    #[test]
    fn small_lists_are_one_piece_and_large_ones_two_in_order() {
        let items: Vec<u32> = (0..10).collect();
        let one = halves(&items, 11, |at, part| (at, part.to_vec()));
        assert_eq!(one, vec![(0, items.clone())]);
        let two = halves(&items, 10, |at, part| (at, part.to_vec()));
        assert_eq!(two, vec![(0, (0..5).collect()), (5, (5..10).collect())]);
        let none: Vec<u32> = Vec::new();
        assert_eq!(halves(&none, 0, |at, part| (at, part.len())), vec![(0, 0)]);
    }

    #[test]
    fn both_halves_are_changed_in_place() {
        for (len, from) in [(0, 0), (1, 0), (9, 100), (9, 2)] {
            let mut items: Vec<u32> = (0..len).collect();
            halves_mut(&mut items, from, |part| {
                part.iter_mut().for_each(|x| *x *= 2)
            });
            assert_eq!(items, (0..len).map(|x| x * 2).collect::<Vec<_>>(), "{len}");
        }
    }
}
