# Reference values for tests/test_stats_compare.py (cxresearch.stats._compare / _effects).
# Run: Rscript tests/r/compare.R   (R 4.2.2; packages stats, psych, MASS, ordinal)
# Our convention: every estimate is b - a ("after minus before"), so each R call below
# puts b first (t.test(b, a), prop.test(c(xb, xa), ...)).
options(digits = 12)
library(psych)
library(MASS)
library(ordinal)

cat("\n== 1. sleep data (Student 1908; R datasets::sleep) ==\n")
a <- sleep$extra[sleep$group == 1]
b <- sleep$extra[sleep$group == 2]
print(a); print(b)
w <- t.test(b, a)                       # Welch
print(c(t = unname(w$statistic), df = unname(w$parameter), p = w$p.value,
        lo = w$conf.int[1], hi = w$conf.int[2]))
s <- t.test(b, a, var.equal = TRUE)     # Student
print(c(t = unname(s$statistic), df = unname(s$parameter), p = s$p.value,
        lo = s$conf.int[1], hi = s$conf.int[2]))
p <- t.test(b, a, paired = TRUE)        # paired
print(c(t = unname(p$statistic), df = unname(p$parameter), p = p$p.value,
        lo = p$conf.int[1], hi = p$conf.int[2]))

cat("\n== 2. Hedges' g (independent), by hand; CI for delta by inverting the noncentral t ==\n")
n1 <- length(a); n2 <- length(b); df <- n1 + n2 - 2
sp <- sqrt(((n1 - 1) * var(a) + (n2 - 1) * var(b)) / df)
d <- (mean(b) - mean(a)) / sp
J <- exp(lgamma(df / 2) - log(sqrt(df / 2)) - lgamma((df - 1) / 2))
tt <- d / sqrt(1 / n1 + 1 / n2)
ncp_lo <- uniroot(function(x) pt(tt, df, ncp = x) - 0.975, c(-20, 20), tol = 1e-12)$root
ncp_hi <- uniroot(function(x) pt(tt, df, ncp = x) - 0.025, c(-20, 20), tol = 1e-12)$root
print(c(d = d, J = J, g = J * d, lo = ncp_lo * sqrt(1 / n1 + 1 / n2),
        hi = ncp_hi * sqrt(1 / n1 + 1 / n2)))
print(cohen.d.ci(d, n1 = n1, n2 = n2))  # psych: same noncentral-t interval (uniroot tol 1e-4)

cat("\n== 3. Hedges' g_z (paired, sd of the differences), by hand ==\n")
dd <- b - a; n <- length(dd)
dz <- mean(dd) / sd(dd); Jz <- exp(lgamma((n - 1) / 2) - log(sqrt((n - 1) / 2)) - lgamma((n - 2) / 2))
tz <- dz * sqrt(n)
lo <- uniroot(function(x) pt(tz, n - 1, ncp = x) - 0.975, c(-30, 30), tol = 1e-12)$root
hi <- uniroot(function(x) pt(tz, n - 1, ncp = x) - 0.025, c(-30, 30), tol = 1e-12)$root
print(c(dz = dz, Jz = Jz, gz = Jz * dz, lo = lo / sqrt(n), hi = hi / sqrt(n)))

cat("\n== 4. Newcombe (1998a) example (a): 56/70 (b) vs 48/80 (a) ==\n")
pt2 <- prop.test(c(56, 48), c(70, 80), correct = FALSE)
print(c(X2 = unname(pt2$statistic), p = pt2$p.value))
newcombe <- function(x1, n1, x2, n2) {   # method 10 by hand, from Wilson limits
  w1 <- prop.test(x1, n1, correct = FALSE)$conf.int
  w2 <- prop.test(x2, n2, correct = FALSE)$conf.int
  p1 <- x1 / n1; p2 <- x2 / n2
  c(est = p1 - p2, lo = p1 - p2 - sqrt((p1 - w1[1])^2 + (w2[2] - p2)^2),
    hi = p1 - p2 + sqrt((w1[2] - p1)^2 + (p2 - w2[1])^2))
}
print(newcombe(56, 70, 48, 80))
cat("example (b) 9/10 vs 3/10; (d) 5/56 vs 0/29\n")
print(newcombe(9, 10, 3, 10)); print(newcombe(5, 56, 0, 29))
print(prop.test(c(9, 3), c(10, 10), correct = FALSE)$p.value)
h <- 2 * asin(sqrt(56 / 70)) - 2 * asin(sqrt(48 / 80))
print(c(h = h, lo = h - qnorm(0.975) * sqrt(1 / 70 + 1 / 80), hi = h + qnorm(0.975) * sqrt(1 / 70 + 1 / 80)))

cat("\n== 5. McNemar, Agresti (2007) presidential approval 794/150/86/570 ==\n")
tab <- matrix(c(794, 86, 150, 570), 2)   # rows: first survey, cols: second survey
print(tab)
m <- mcnemar.test(tab, correct = FALSE)
print(c(X2 = unname(m$statistic), p = m$p.value))
cat("exact McNemar (binomial on discordant pairs) for a small table 2/5 discordant:\n")
print(binom.test(2, 7, 0.5)$p.value)

cat("\n== 6. Newcombe (1998b) paired method 10, Cavo et al. 2012 table 59/6/16/80 ==\n")
newcombe_paired <- function(n11, n12, n21, n22) {  # rows = a (first), cols = b (second)
  N <- n11 + n12 + n21 + n22
  pa <- (n11 + n12) / N; pb <- (n11 + n21) / N
  wa <- prop.test(n11 + n12, N, correct = FALSE)$conf.int
  wb <- prop.test(n11 + n21, N, correct = FALSE)$conf.int
  A <- n11 * n22 - n12 * n21
  den <- (n11 + n12) * (n21 + n22) * (n11 + n21) * (n12 + n22)
  phi <- if (den == 0) 0 else if (A > N / 2) (A - N / 2) / sqrt(den) else if (A >= 0) 0 else A / sqrt(den)
  dl <- pb - wb[1]; du <- wb[2] - pb; el <- pa - wa[1]; eu <- wa[2] - pa
  c(est = pb - pa, lo = pb - pa - sqrt(dl^2 - 2 * phi * dl * eu + eu^2),
    hi = pb - pa + sqrt(du^2 - 2 * phi * du * el + el^2))
}
print(newcombe_paired(59, 6, 16, 80))
print(newcombe_paired(794, 150, 86, 570))

cat("\n== 7. Mann-Whitney and Brunner-Munzel: pain scores (Brunner & Munzel 2000) ==\n")
Y <- c(1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 2, 4, 1, 1)  # a
N <- c(3, 3, 4, 3, 1, 2, 3, 1, 1, 5, 4)           # b
wt <- wilcox.test(N, Y, exact = FALSE, correct = TRUE)
print(c(W = unname(wt$statistic), p = wt$p.value))
wt0 <- wilcox.test(N, Y, exact = FALSE, correct = FALSE)
print(c(W = unname(wt0$statistic), p = wt0$p.value))
# lawstat::brunner.munzel.test(Y, N), by hand (lawstat is not installed here)
n1 <- length(Y); n2 <- length(N); r <- rank(c(Y, N)); r1 <- rank(Y); r2 <- rank(N)
m1 <- mean(r[1:n1]); m2 <- mean(r[n1 + 1:n2])
pst <- (m2 - (n2 + 1) / 2) / n1
v1 <- sum((r[1:n1] - r1 - m1 + (n1 + 1) / 2)^2) / (n1 - 1)
v2 <- sum((r[n1 + 1:n2] - r2 - m2 + (n2 + 1) / 2)^2) / (n2 - 1)
stat <- n1 * n2 * (m2 - m1) / (n1 + n2) / sqrt(n1 * v1 + n2 * v2)
dfbm <- (n1 * v1 + n2 * v2)^2 / ((n1 * v1)^2 / (n1 - 1) + (n2 * v2)^2 / (n2 - 1))
se <- sqrt(v1 / (n1 * n2^2) + v2 / (n2 * n1^2))
print(c(ps = pst, lo = pst - qt(0.975, dfbm) * se, hi = pst + qt(0.975, dfbm) * se,
        stat = stat, df = dfbm, p = 2 * pt(-abs(stat), dfbm)))

cat("\n== 8. p.adjust with an NA (NA kept, not counted: n = number of non-NA) ==\n")
pv <- c(0.01, 0.04, NA, 0.03, 0.005, 0.20)
print(p.adjust(pv, "holm")); print(p.adjust(pv, "BH")); print(p.adjust(pv, "bonferroni"))
print(p.adjust(pv, "hommel")); print(p.adjust(pv, "BY"))

cat("\n== 9. TOST by hand: sleep data, margin 2 (Welch) and paired margin 2 ==\n")
lo <- t.test(b, a, mu = -2, alternative = "greater")
hi <- t.test(b, a, mu = 2, alternative = "less")
ci90 <- t.test(b, a, conf.level = 0.90)$conf.int
print(c(t_lo = unname(lo$statistic), p_lo = lo$p.value, t_hi = unname(hi$statistic),
        p_hi = hi$p.value, df = unname(lo$parameter), ci_lo = ci90[1], ci_hi = ci90[2]))
lo <- t.test(b, a, mu = -2, alternative = "greater", paired = TRUE)
hi <- t.test(b, a, mu = 2, alternative = "less", paired = TRUE)
ci90 <- t.test(b, a, conf.level = 0.90, paired = TRUE)$conf.int
print(c(p_lo = lo$p.value, p_hi = hi$p.value, ci_lo = ci90[1], ci_hi = ci90[2]))

cat("\n== 10. Proportional odds: MASS::housing (Madsen 1976), Sat ~ Cont + Type ==\n")
# Cont (Low/High contact) plays the group; Type the covariate. Expand the frequency table.
hs <- housing[rep(seq_len(nrow(housing)), housing$Freq), c("Sat", "Cont", "Type", "Infl")]
fit <- polr(Sat ~ Cont + Type, data = hs, Hess = TRUE)
print(summary(fit)$coefficients)
f2 <- clm(Sat ~ Cont + Type, data = hs)
print(summary(f2)$coefficients)
print(confint.default(f2)["ContHigh", ])
print(table(hs$Sat, hs$Cont)); print(table(hs$Type))

cat("\n== 11. Welch with one constant group ==\n")
r <- t.test(c(3, 4, 5, 5), rep(4, 4))
print(c(r$statistic, r$parameter, p = r$p.value))
