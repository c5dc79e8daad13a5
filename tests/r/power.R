# Reference values for tests/test_stats_power.py (sample_size, mde).
# Run from the project root: Rscript tests/r/power.R   (R 4.2.2, stats, pwr 1.3)
# pwr 1.3.0 has no tol argument: its uniroot stops at ~1e-4, so its values agree to
# about 1e-5 only.
# strict = TRUE counts both tails of a two-sided test, as statsmodels does; tol = 1e-12
# makes uniroot's answer exact to the digits printed (the default tol is only ~1e-4).
suppressMessages(library(pwr))
options(digits = 12)
out <- function(label, x) cat(sprintf("%-44s %.12g\n", label, x))
tol <- 1e-12

# -- means ---------------------------------------------------------------------------
out("t two-wave d=.5 sd=1 n", power.t.test(delta = .5, sd = 1, power = .8, strict = TRUE, tol = tol)$n)
out("t two-wave default (strict=FALSE) n", power.t.test(delta = .5, sd = 1, power = .8)$n)
out("pwr.t.test d=.5 n", pwr.t.test(d = .5, power = .8, type = "two.sample")$n)
out("t two-wave d=.3 sd=1.1 a=.01 p=.9 n", power.t.test(delta = .3, sd = 1.1, sig.level = .01, power = .9, strict = TRUE, tol = tol)$n)
out("t two-wave n=100 sd=1 p=.8 delta", power.t.test(n = 100, sd = 1, power = .8, strict = TRUE, tol = tol)$delta)
out("pwr.t2n n1=50 n2=100 p=.8 d", pwr.t2n.test(n1 = 50, n2 = 100, power = .8)$d)
sdd <- 1.2 * sqrt(2 * (1 - .6))
out("t paired delta=.4 sd=1.2 r=.6 n", power.t.test(delta = .4, sd = sdd, power = .8, type = "paired", strict = TRUE, tol = tol)$n)
out("t paired n=40 sd=1.2 r=.6 delta", power.t.test(n = 40, sd = sdd, power = .8, type = "paired", strict = TRUE, tol = tol)$delta)
# one wave, precision of a t interval: smallest n with qt(.975, n-1) * sd / sqrt(n) <= m
f <- function(n) qt(.975, n - 1) * 1.1 / sqrt(n) - .2
out("precision mean sd=1.1 m=.2 n (continuous)", uniroot(f, c(2, 1e6), tol = tol)$root)
out("precision mean sd=1.1 n=100 margin", qt(.975, 99) * 1.1 / sqrt(100))

# -- proportions ---------------------------------------------------------------------
out("prop two-wave .5->.65 n", power.prop.test(p1 = .5, p2 = .65, power = .8, strict = TRUE, tol = tol)$n)
out("prop two-wave .5->.65 default n", power.prop.test(p1 = .5, p2 = .65, power = .8)$n)
out("pwr.2p.test (arcsine h) .5->.65 n", pwr.2p.test(h = ES.h(.65, .5), power = .8)$n)
out("prop two-wave .2->.25 a=.1 p=.9 n", power.prop.test(p1 = .2, p2 = .25, sig.level = .1, power = .9, strict = TRUE, tol = tol)$n)
out("prop two-wave n=200 p1=.3 mde", power.prop.test(n = 200, p1 = .3, power = .8, strict = TRUE, tol = tol)$p2 - .3)
out("prop one-wave p=.4 n=500 margin", qnorm(.975) * sqrt(.4 * .6 / 500))
out("prop one-wave p=.4 m=.05 n", (qnorm(.975) * sqrt(.4 * .6) / .05)^2)
# paired proportions, normal approximation: var_d = p1q1 + p2q2 - 2 r sqrt(p1q1 p2q2)
pp <- function(n, p1, p2, r, a = .05) {
  v1 <- p1 * (1 - p1); v2 <- p2 * (1 - p2); sd <- sqrt(v1 + v2 - 2 * r * sqrt(v1 * v2))
  z <- qnorm(1 - a / 2); e <- abs(p2 - p1) * sqrt(n) / sd
  pnorm(e - z) + pnorm(-e - z)
}
out("prop paired .3->.4 r=.4 n", uniroot(function(n) pp(n, .3, .4, .4) - .8, c(2, 1e6), tol = tol)$root)
out("prop paired n=300 p1=.3 r=.4 mde", uniroot(function(d) pp(300, .3, .3 + d, .4) - .8, c(1e-6, .69), tol = tol)$root)

# -- NPS: variance per respondent (points^2) = 100^2 (p+ + p- - (p+ - p-)^2) ------------
nps_sd <- function(pro, det) 100 * sqrt(pro + det - (pro - det)^2)
zp <- function(n_eff, d, s, a = .05) {           # two-sided z power, both tails
  e <- d * sqrt(n_eff) / s; z <- qnorm(1 - a / 2); pnorm(e - z) + pnorm(-e - z)
}
s <- nps_sd(.4, .2)
out("nps sd .4/.2", s)
out("nps two-wave d=5 n (closed form, one tail)", (qnorm(.975) + qnorm(.8))^2 * 2 * s^2 / 25)
out("nps two-wave d=5 n", uniroot(function(n) zp(n / 2, 5, s) - .8, c(2, 1e7), tol = tol)$root)
# ratio 2: var of the difference = s^2 (1/n + 1/(2n)) = s^2 / (n / 1.5)
out("nps two-wave d=5 ratio=2 n1", uniroot(function(n) zp(n / 1.5, 5, s) - .8, c(2, 1e7), tol = tol)$root)
out("nps two-wave n=1000 mde", uniroot(function(d) zp(500, d, s) - .8, c(1e-6, 200), tol = tol)$root)
s2 <- nps_sd(.5, .15)
out("nps paired d=5 r=.5 (.5/.15) n", uniroot(function(n) zp(n, 5, s2 * sqrt(2 * (1 - .5))) - .8, c(2, 1e7), tol = tol)$root)
out("nps one-wave n=500 margin", qnorm(.975) * s / sqrt(500))
out("nps one-wave m=5 n", (qnorm(.975) * s / 5)^2)
print(power.t.test(n = 400, sd = 1, power = 0.8, tol = 1e-12, strict = TRUE)$delta, digits = 10)  # 0.1983405528: mde("mean", 400, sd = 1)
