//! Binomial random numbers, for drawing a bootstrap sample of units as
//! counts per kind of unit (a multinomial draw) in time that does not grow
//! with the number of units.
//!
//! Small means use inversion (walking the probabilities up from 0); larger
//! ones Hörmann's transformed rejection with squeeze, BTRS ("The generation
//! of binomial random variates", J. Statist. Comput. Simul. 46, 1993),
//! which takes a couple of uniform numbers per variate whatever `n` is.

use fastrand::Rng;

/// A Binomial(`n`, `p`) variate: the number of successes in `n` trials of
/// probability `p` (clamped to [0, 1]).
pub fn binomial(rng: &mut Rng, n: u64, p: f64) -> u64 {
    if n == 0 || p.is_nan() || p <= 0.0 {
        return 0;
    }
    if p >= 1.0 {
        return n;
    }
    if p > 0.5 {
        return n - binomial(rng, n, 1.0 - p);
    }
    if n as f64 * p < 10.0 {
        inversion(rng, n, p)
    } else {
        transformed_rejection(rng, n, p)
    }
}

/// For n·p < 10: P(0) = qⁿ, P(x)/P(x − 1) = ((n + 1)/x − 1)·p/q.
fn inversion(rng: &mut Rng, n: u64, p: f64) -> u64 {
    let q = 1.0 - p;
    let s = p / q;
    let a = (n as f64 + 1.0) * s;
    let first = q.powf(n as f64);
    // Far beyond any probability a double can tell from 0 (mean < 10): a
    // walk that gets here met rounding, and starts again.
    let bound = n.min(110);
    loop {
        let mut u = rng.f64();
        let mut r = first;
        let mut x = 0u64;
        while x <= bound {
            if u < r {
                return x;
            }
            u -= r;
            x += 1;
            r *= a / x as f64 - s;
        }
    }
}

/// BTRS, for n·p ≥ 10 and p ≤ ½.
fn transformed_rejection(rng: &mut Rng, n: u64, p: f64) -> u64 {
    let nf = n as f64;
    let q = 1.0 - p;
    let spq = (nf * p * q).sqrt();
    let b = 1.15 + 2.53 * spq;
    let a = -0.0873 + 0.0248 * b + 0.01 * p;
    let c = nf * p + 0.5;
    let v_r = 0.92 - 4.2 / b;
    let alpha = (2.83 + 5.1 / b) * spq;
    let ln_r = (p / q).ln();
    let m = ((nf + 1.0) * p).floor();
    // ln m! + ln (n − m)!, with ln x! = (x + ½)ln(x + 1) − (x + 1) + ½ln 2π
    // + tail(x); the −(x + 1) and ½ln 2π terms cancel against k's below.
    let stirling = |x: f64| (x + 0.5) * (x + 1.0).ln() + tail(x);
    let at_mode = stirling(m) + stirling(nf - m);
    loop {
        let u = rng.f64() - 0.5;
        let v = rng.f64();
        let us = 0.5 - u.abs();
        let k = ((2.0 * a / us + b) * u + c).floor();
        if k < 0.0 || k > nf {
            continue;
        }
        if us >= 0.07 && v <= v_r {
            return k as u64;
        }
        let v = (v * alpha / (a / (us * us) + b)).ln();
        // ln(P(k)/P(m)).
        let ratio = at_mode - stirling(k) - stirling(nf - k) + (k - m) * ln_r;
        if v <= ratio {
            return k as u64;
        }
    }
}

/// ln x! − ((x + ½)ln(x + 1) − (x + 1) + ½ln 2π), for whole x ≥ 0: exact
/// below 10, Stirling's series above.
fn tail(x: f64) -> f64 {
    if x < 10.0 {
        let ln_factorial: f64 = (2..=x as u64).map(|i| (i as f64).ln()).sum();
        let half_ln_2pi = 0.5 * (2.0 * std::f64::consts::PI).ln();
        ln_factorial - ((x + 0.5) * (x + 1.0).ln() - (x + 1.0) + half_ln_2pi)
    } else {
        let r = 1.0 / (x + 1.0);
        let r2 = r * r;
        (1.0 / 12.0 - (1.0 / 360.0 - r2 / 1260.0) * r2) * r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Exact probabilities of Binomial(n, p) by the recurrence, in f64.
    fn pmf(n: u64, p: f64) -> Vec<f64> {
        let mut out = vec![0.0; n as usize + 1];
        let ln_q = (1.0 - p).ln();
        let mut ln = n as f64 * ln_q;
        for k in 0..=n {
            out[k as usize] = ln.exp();
            ln += ((n - k) as f64 / (k + 1) as f64).ln() + (p / (1.0 - p)).ln();
        }
        out
    }

    /// Pearson's χ² of `draws` variates against the exact distribution,
    /// cells with an expected count under 5 pooled.
    fn chi_square(n: u64, p: f64, draws: usize) -> (f64, usize) {
        let mut rng = Rng::with_seed(7);
        let mut seen = vec![0u64; n as usize + 1];
        for _ in 0..draws {
            let k = binomial(&mut rng, n, p);
            assert!(k <= n);
            seen[k as usize] += 1;
        }
        let mut stat = 0.0;
        let mut cells = 0;
        let (mut pooled_e, mut pooled_o) = (0.0, 0.0);
        for (e, &o) in pmf(n, p).iter().zip(&seen) {
            let e = e * draws as f64;
            if e < 5.0 {
                pooled_e += e;
                pooled_o += o as f64;
            } else {
                stat += (o as f64 - e).powi(2) / e;
                cells += 1;
            }
        }
        if pooled_e > 0.0 {
            stat += (pooled_o - pooled_e).powi(2) / pooled_e;
            cells += 1;
        }
        (stat, cells - 1)
    }

    #[test]
    fn small_and_large_means_follow_the_binomial_distribution() {
        // Inversion (n·p < 10), rejection (n·p ≥ 10), and p > ½ folded.
        for (n, p) in [(20, 0.1), (60, 0.15), (200, 0.3), (1000, 0.5), (90, 0.8)] {
            let (stat, df) = chi_square(n, p, 100_000);
            // The 99.9 % point of χ² is below df + 3.1·√(2 df) + 10 for
            // these degrees of freedom.
            let limit = df as f64 + 3.1 * (2.0 * df as f64).sqrt() + 10.0;
            assert!(stat < limit, "n={n} p={p}: χ²={stat} on {df} df");
        }
    }

    #[test]
    fn huge_n_keeps_mean_and_variance() {
        let mut rng = Rng::with_seed(3);
        let (n, p) = (50_000_000u64, 2e-4);
        let draws = 20_000;
        let xs: Vec<f64> = (0..draws)
            .map(|_| binomial(&mut rng, n, p) as f64)
            .collect();
        let mean = xs.iter().sum::<f64>() / draws as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (draws - 1) as f64;
        let (em, ev) = (n as f64 * p, n as f64 * p * (1.0 - p));
        assert!(
            (mean - em).abs() < 4.0 * (ev / draws as f64).sqrt(),
            "{mean}"
        );
        assert!((var / ev - 1.0).abs() < 0.05, "{var} vs {ev}");
    }

    #[test]
    fn edges() {
        let mut rng = Rng::with_seed(1);
        assert_eq!(binomial(&mut rng, 0, 0.5), 0);
        assert_eq!(binomial(&mut rng, 10, 0.0), 0);
        assert_eq!(binomial(&mut rng, 10, 1.0), 10);
        assert_eq!(binomial(&mut rng, 10, f64::NAN), 0);
    }

    #[test]
    fn stirling_tail_is_continuous_at_the_switch() {
        // The series at 10 matches the exact value to many digits.
        let exact = {
            let ln_factorial: f64 = (2..=10u64).map(|i| (i as f64).ln()).sum();
            ln_factorial - (10.5 * 11f64.ln() - 11.0 + 0.5 * (2.0 * std::f64::consts::PI).ln())
        };
        assert!((tail(10.0) - exact).abs() < 1e-10);
    }
}
