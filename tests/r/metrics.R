# Reference values for tests/test_stats_metrics.py and tests/test_stats_weights.py.
# Run: Rscript tests/r/metrics.R   (R 4.2, base packages only)
# The NPS formulas are written out from Rocks (2016) and his R package NPS
# (npvar: p+ + p- - (p+ - p-)^2; adjusted Wald: pseudo_observations = c(0.75, 1.5, 0.75)).
options(digits = 15)
z95 <- qnorm(0.975)

npvar <- function(det, pas, pro) {
  n <- det + pas + pro; p <- pro / n; d <- det / n
  p + d - (p - d)^2
}
nps_wald <- function(det, pas, pro, level = 0.95) {
  z <- qnorm(1 - (1 - level) / 2); n <- det + pas + pro
  centre <- (pro - det) / n; se <- sqrt(npvar(det, pas, pro) / n)
  100 * c(est = centre, low = max(centre - z * se, -1), high = min(centre + z * se, 1), se = se)
}
nps_adjusted <- function(det, pas, pro, level = 0.95) {
  a <- nps_wald(det + 0.75, pas + 1.5, pro + 0.75, level)
  c(est = 100 * (pro - det) / (det + pas + pro), a[c("low", "high", "se")])
}

cat("== one-sample NPS (det, pas, pro) ==\n")
cases <- list(c(20, 30, 50), c(395, 476, 291), c(2, 3, 7), c(0, 0, 5), c(100, 200, 300))
for (x in cases) {
  cat("counts", x, "\n")
  cat("  wald     ", nps_wald(x[1], x[2], x[3]), "\n")
  cat("  adjusted ", nps_adjusted(x[1], x[2], x[3]), "\n")
  cat("  wald90   ", nps_wald(x[1], x[2], x[3], 0.90), "\n")
  cat("  adjust90 ", nps_adjusted(x[1], x[2], x[3], 0.90), "\n")
}

cat("== two independent NPS: a = (20,30,50), b = (395,476,291) ==\n")
two <- function(a, b, adjust) {
  pa <- if (adjust) a + c(.75, 1.5, .75) else a
  pb <- if (adjust) b + c(.75, 1.5, .75) else b
  ca <- (pa[3] - pa[1]) / sum(pa); cb <- (pb[3] - pb[1]) / sum(pb)
  se <- sqrt(npvar(pa[1], pa[2], pa[3]) / sum(pa) + npvar(pb[1], pb[2], pb[3]) / sum(pb))
  d <- (b[3] - b[1]) / sum(b) - (a[3] - a[1]) / sum(a)
  zz <- (cb - ca) / se
  c(est = 100 * d, low = 100 * (cb - ca - z95 * se), high = 100 * (cb - ca + z95 * se),
    se = 100 * se, z = zz, p = 2 * pnorm(-abs(zz)))
}
cat("  wald     ", two(c(20, 30, 50), c(395, 476, 291), FALSE), "\n")
cat("  adjusted ", two(c(20, 30, 50), c(395, 476, 291), TRUE), "\n")

cat("== paired NPS ==\n")
a <- c(10, 9, 8, 7, 6, 5, 10, 9, 3, 8, 10, 7, 2, 9, 10, 6, 8, 9, 10, 4, 7, 9, 10, 8, 5)
b <- c(10, 10, 9, 8, 6, 7, 10, 9, 6, 9, 10, 9, 4, 10, 9, 8, 8, 10, 10, 6, 9, 9, 10, 9, 7)
cat3 <- function(x) ifelse(x >= 9, 3, ifelse(x >= 7, 2, 1))
s <- c(-1, 0, 1)
d <- s[cat3(b)] - s[cat3(a)]
n <- length(d)
se_w <- sqrt((mean(d^2) - mean(d)^2) / n)
zw <- mean(d) / se_w
cat("  wald     ", 100 * mean(d), 100 * (mean(d) - z95 * se_w), 100 * (mean(d) + z95 * se_w),
    100 * se_w, zw, 2 * pnorm(-abs(zw)), "\n")
tab <- table(factor(cat3(a), 1:3), factor(cat3(b), 1:3))
w <- c(0.75, 1.5, 0.75) / 3
tab2 <- tab + 3 * outer(w, w)
D <- outer(s, s, function(j, k) k - j)
p2 <- tab2 / sum(tab2)
m2 <- sum(p2 * D); se_a <- sqrt((sum(p2 * D^2) - m2^2) / sum(tab2))
za <- m2 / se_a
cat("  adjusted ", 100 * mean(d), 100 * (m2 - z95 * se_a), 100 * (m2 + z95 * se_a),
    100 * se_a, za, 2 * pnorm(-abs(za)), "\n")

cat("== weighted NPS ==\n")
x <- c(10, 9, 8, 7, 6, 5, 10, 9, 3, 8, 10, 7)
wt <- c(1.2, 0.8, 1, 1.5, 0.5, 1, 2, 0.7, 1.1, 0.9, 1.3, 0.6)
neff <- sum(wt)^2 / sum(wt^2)
pp <- sum(wt[x >= 9]) / sum(wt); pd <- sum(wt[x <= 6]) / sum(wt)
cw <- pp - pd; sew <- sqrt((pp + pd - cw^2) / neff)
cat("  neff", neff, "\n")
cat("  wald     ", 100 * cw, 100 * (cw - z95 * sew), 100 * (cw + z95 * sew), 100 * sew, "\n")
na <- neff + 3; ppa <- (pp * neff + .75) / na; pda <- (pd * neff + .75) / na
ca <- ppa - pda; sea <- sqrt((ppa + pda - ca^2) / na)
cat("  adjusted ", 100 * cw, 100 * (ca - z95 * sea), 100 * (ca + z95 * sea), 100 * sea, "\n")

cat("== proportions (x, n) ==\n")
for (xn in list(c(7, 10), c(45, 200), c(0, 20), c(20, 20))) {
  x <- xn[1]; n <- xn[2]; p <- x / n
  cat("x n", x, n, "\n")
  cat("  wilson   ", prop.test(x, n, correct = FALSE)$conf.int, "\n")
  cat("  clopper  ", binom.test(x, n)$conf.int, "\n")
  cat("  wald     ", max(p - z95 * sqrt(p * (1 - p) / n), 0), min(p + z95 * sqrt(p * (1 - p) / n), 1), "\n")
  nt <- n + z95^2; pt <- (x + z95^2 / 2) / nt
  cat("  agresti  ", max(pt - z95 * sqrt(pt * (1 - pt) / nt), 0), min(pt + z95 * sqrt(pt * (1 - pt) / nt), 1), "\n")
  cat("  jeffreys ", qbeta(c(0.025, 0.975), x + 0.5, n - x + 0.5), "\n")
}

cat("== means ==\n")
x1 <- c(4, 5, 3, 4, 2, 5, 4)
cat("  t.test x1 ", mean(x1), t.test(x1)$conf.int, "\n")
x2 <- rep(1:5, c(12, 18, 40, 75, 55))
cat("  t.test x2 ", mean(x2), t.test(x2)$conf.int, t.test(x2, conf.level = 0.99)$conf.int, "\n")
x3 <- c(12.5, 8.25, 30.1, 4.4, 18.9, 22.0, 9.75, 15.3, 11.1, 27.6)
cat("  t.test x3 ", mean(x3), t.test(x3)$conf.int, "\n")
wt3 <- c(1, 2, 0.5, 1.5, 1, 0.8, 1.2, 2.5, 0.7, 1)
m <- weighted.mean(x3, wt3); ne <- sum(wt3)^2 / sum(wt3^2)
se <- sqrt(sum(wt3 * (x3 - m)^2) / sum(wt3) / (ne - 1))
cat("  weighted x3 ", m, m - qt(0.975, ne - 1) * se, m + qt(0.975, ne - 1) * se, se, ne, "\n")

cat("== CES 2.0 ==\n")
c2 <- c(7, 6, 5, 6, 3, 7, 2, 6, 5, 4, 7, 1, 6, 5)
cat("  t.test  ", mean(c2), t.test(c2)$conf.int, "\n")
cat("  agree   ", sum(c2 >= 5), prop.test(sum(c2 >= 5), length(c2), correct = FALSE)$conf.int, "\n")

cat("== effective n (Kish) ==\n")
cat("  ", sum(wt)^2 / sum(wt^2), "\n")

cat("== post-stratification ==\n")
region <- c(rep("north", 30), rep("east", 50), rep("south", 20))
pop <- c(north = 4000, east = 3500, south = 2500)
share <- pop / sum(pop)
ps <- share[region] / (table(region)[region] / length(region))
cat("  north east south", ps["north"], ps["east"], ps["south"], "\n")

cat("== raking (2 margins) ==\n")
sample_tab <- matrix(c(10, 20, 15, 25, 20, 10), nrow = 2, byrow = TRUE,
                     dimnames = list(sex = c("f", "m"), age = c("young", "mid", "old")))
sex_t <- c(f = 0.52, m = 0.48); age_t <- c(young = 0.3, mid = 0.4, old = 0.3)
target <- outer(sex_t, age_t) * sum(sample_tab)
fit <- loglin(target, margin = list(1, 2), start = sample_tab, fit = TRUE, eps = 1e-12,
              iter = 1000, print = FALSE)$fit
cat("  loglin weights (f: young mid old; m: young mid old)", t(fit / sample_tab), "\n")
# the same by a hand-written IPF loop on per-person weights
sex <- rep(rep(c("f", "m"), each = 3), as.vector(t(sample_tab)))
age <- rep(rep(c("young", "mid", "old"), 2), as.vector(t(sample_tab)))
w <- rep(1, length(sex))
for (i in 1:200) {
  w <- w * (sex_t[sex] / (tapply(w, sex, sum)[sex] / sum(w)))
  w <- w * (age_t[age] / (tapply(w, age, sum)[age] / sum(w)))
}
w <- w / mean(w)
cat("  loop weights", tapply(w, paste(sex, age), mean)[c("f young", "f mid", "f old",
                                                        "m young", "m mid", "m old")], "\n")
cat("  effective n", sum(w)^2 / sum(w^2), "\n")
