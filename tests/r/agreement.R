# R reference values for tests/test_stats_agreement.py.
# Run from the repository root:  Rscript tests/r/agreement.R
# R 4.2, psych 2.2.9 (cohen.kappa). irr is not installed here: Fleiss' kappa and its
# z test are computed by hand below with the formulas of Fleiss (1971) and Fleiss, Nee &
# Landis (1979), which irr::kappam.fleiss uses (its printed values are quoted in the test).
suppressPackageStartupMessages(library(psych))
options(digits = 10)

show_kappa <- function(label, ck) {
  cat("\n==", label, "\n")
  cat("kappa", ck$kappa, " se", sqrt(ck$var.kappa), "\n")
  cat("weighted", ck$weighted.kappa, " se", sqrt(ck$var.weighted), "\n")
}
# agreement weights from disagreement weights d (0 on the diagonal): w = 1 - d / max(d)
agree <- function(d) 1 - d / max(d)
linear <- function(k) agree(abs(outer(1:k, 1:k, "-")))
quadratic <- function(k) agree(outer(1:k, 1:k, "-")^2)

# 1. The SAS PROC FREQ example quoted in statsmodels' tests (rows rater A, cols rater B)
sas <- matrix(c(0, 4, 1,
                0, 8, 0,
                0, 1, 5), 3, byrow = TRUE)
show_kappa("psych::cohen.kappa(sas, w = linear(3))", cohen.kappa(sas, w = linear(3)))
show_kappa("psych::cohen.kappa(sas, w = quadratic(3))", cohen.kappa(sas, w = quadratic(3)))

# 2. Cohen (1968), Table 1: proportions of 200 cases; Cohen reports kappa = .492 and,
#    with his disagreement weights (0,1,3 / 1,0,6 / 3,6,0), weighted kappa = .348.
cohen <- 200 * matrix(c(0.44, 0.07, 0.09,
                        0.05, 0.20, 0.05,
                        0.01, 0.03, 0.06), 3, byrow = TRUE)
cohen_w <- matrix(c(0, 1, 3,
                    1, 0, 6,
                    3, 6, 0), 3)
show_kappa("psych::cohen.kappa(cohen, w = agree(cohen_w))", cohen.kappa(cohen, w = agree(cohen_w)))

# 3. Fleiss, Cohen & Everitt (1969): 200 cases, similarity weights 4/9 and 2/3 as in
#    psych's help page (there rounded to 0.4444 and 0.6667).
fce <- matrix(c(106, 10, 4,
                22, 28, 10,
                2, 12, 6), 3, byrow = TRUE)
fce_w <- matrix(c(1, 0, 4/9,
                  0, 1, 2/3,
                  4/9, 2/3, 1), 3)
show_kappa("psych::cohen.kappa(fce, w = fce_w)", cohen.kappa(fce, w = fce_w))

# 4. Raw ratings from psych's help page (quadratic weights over the levels 1..9 seen)
rater1 <- c(1, 2, 3, 4, 5, 6, 7, 8, 9)
rater2 <- c(1, 3, 1, 6, 1, 5, 5, 6, 7)
show_kappa("psych::cohen.kappa(cbind(rater1, rater2))", cohen.kappa(cbind(rater1, rater2)))
show_kappa("psych::cohen.kappa(cbind(rater1, rater2), w = linear(9))",
           cohen.kappa(cbind(rater1, rater2), w = linear(9)))

# 5. Categories used by one coder only, and scale points nobody used (levels = 1:10)
numbers <- data.frame(rater1 = c(6, 3, 7, 8, 7), rater2 = c(6, 1, 8, 5, 10))
show_kappa("psych::cohen.kappa(numbers)", cohen.kappa(numbers))
show_kappa("psych::cohen.kappa(numbers, levels = 1:10)", cohen.kappa(numbers, levels = 1:10))

# 6. Fleiss' kappa. diagnoses: Fleiss (1971), 30 patients x 6 psychiatrists, 5 diagnoses
#    (irr's data set `diagnoses`, codes 1..5, as in statsmodels' tests).
diagnoses <- matrix(c(
  4,4,4,4,4,4, 2,2,2,5,5,5, 2,3,3,3,3,5, 5,5,5,5,5,5, 2,2,2,4,4,4, 1,1,3,3,3,3,
  3,3,3,3,5,5, 1,1,3,3,3,4, 1,1,4,4,4,4, 5,5,5,5,5,5, 1,4,4,4,4,4, 1,2,4,4,4,4,
  2,2,2,3,3,3, 1,4,4,4,4,4, 2,2,4,4,4,5, 3,3,3,3,3,5, 1,1,1,4,5,5, 1,1,1,1,1,2,
  2,2,4,4,4,4, 1,3,3,5,5,5, 5,5,5,5,5,5, 2,4,4,4,4,4, 2,2,4,5,5,5, 1,1,4,4,4,4,
  1,4,4,4,4,5, 2,2,2,2,2,4, 1,1,1,1,5,5, 2,2,4,4,4,4, 1,3,3,3,3,3, 5,5,5,5,5,5),
  ncol = 6, byrow = TRUE)
fleiss <- function(counts) {
  N <- nrow(counts); n <- sum(counts[1, ])
  p <- colSums(counts) / (N * n); q <- 1 - p
  P_i <- (rowSums(counts^2) - n) / (n * (n - 1))
  pe <- sum(p^2)
  kappa <- (mean(P_i) - pe) / (1 - pe)
  # Fleiss, Nee & Landis (1979) standard error under kappa = 0 (irr::kappam.fleiss)
  se0 <- sqrt(2) / (sum(p * q) * sqrt(N * n * (n - 1))) *
    sqrt(sum(p * q)^2 - sum(p * q * (q - p)))
  cat("kappa", kappa, " se0", se0, " z", kappa / se0, "\n")
}
counts <- t(apply(diagnoses, 1, function(r) tabulate(r, nbins = 5)))
cat("\n== Fleiss' kappa, diagnoses (Fleiss 1971)\n"); fleiss(counts)

# Wikipedia "Fleiss' kappa" worked example: 10 subjects x 5 categories, 14 raters each.
wiki <- matrix(c(0,0,0,0,14, 0,2,6,4,2, 0,0,3,5,6, 0,3,9,2,0, 2,2,8,1,1,
                 7,7,0,0,0, 3,2,6,3,0, 2,5,3,2,2, 6,5,2,1,0, 0,2,2,3,7), ncol = 5, byrow = TRUE)
cat("\n== Fleiss' kappa, Wikipedia example\n"); fleiss(wiki)

# 7. The large-sample variance of weighted kappa by hand: Fleiss, Cohen & Everitt (1969),
#    as printed in Fleiss, Levin & Paik (2003, ch. 18) and the SAS PROC FREQ manual:
#    var = [sum p_ij (w_ij - (wbar_i. + wbar_.j)(1 - kw))^2 - (kw - pe_w (1 - kw))^2]
#          / (n (1 - pe_w)^2),  wbar_i. = sum_j p_.j w_ij,  wbar_.j = sum_i p_i. w_ij.
#    (psych::cohen.kappa's var.weighted differs from this when the two coders' margins
#    differ, so the tests take weighted-kappa standard errors from here and from SAS.)
wkappa_by_hand <- function(counts, w) {
  n <- sum(counts); p <- counts / n
  pr <- rowSums(p); pc <- colSums(p)
  po_w <- sum(w * p); pe_w <- sum(w * outer(pr, pc))
  kw <- (po_w - pe_w) / (1 - pe_w)
  wi <- as.vector(w %*% pc)      # wbar_i.
  wj <- as.vector(t(w) %*% pr)   # wbar_.j
  v <- (sum(p * (w - outer(wi, wj, "+") * (1 - kw))^2) - (kw - pe_w * (1 - kw))^2) /
    (n * (1 - pe_w)^2)
  # under kappa_w = 0 (for the z test)
  v0 <- (sum(outer(pr, pc) * (w - outer(wi, wj, "+"))^2) - pe_w^2) / (n * (1 - pe_w)^2)
  cat("weighted", kw, " se", sqrt(v), " se0", sqrt(v0), "\n")
}
cat("\n== by hand: sas, linear\n"); wkappa_by_hand(sas, linear(3))
cat("\n== by hand: sas, quadratic\n"); wkappa_by_hand(sas, quadratic(3))
cat("\n== by hand: fce, fce_w\n"); wkappa_by_hand(fce, fce_w)
cat("\n== by hand: cohen, Cohen's weights\n"); wkappa_by_hand(cohen, agree(cohen_w))
cat("\n== by hand: rater1 x rater2, quadratic(9)\n")
wkappa_by_hand(table(factor(rater1, 1:9), factor(rater2, 1:9)), quadratic(9))
cat("\n== by hand: rater1 x rater2, linear(9)\n")
wkappa_by_hand(table(factor(rater1, 1:9), factor(rater2, 1:9)), linear(9))
cat("\n== by hand: numbers, levels 1:10, quadratic(10)\n")
wkappa_by_hand(table(factor(numbers$rater1, 1:10), factor(numbers$rater2, 1:10)), quadratic(10))
cat("\n== by hand: numbers, levels 1:10, identity weights (= unweighted kappa)\n")
wkappa_by_hand(table(factor(numbers$rater1, 1:10), factor(numbers$rater2, 1:10)), diag(10))
