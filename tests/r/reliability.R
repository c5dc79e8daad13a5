# R reference values for tests/test_stats_reliability.py.
# Run from the repository root:  Rscript tests/r/reliability.R
# R 4.2, psych 2.2.9, stats (factanal).
#
# tests/data/stats/likert_items.csv: 240 seeded five-point answers to six items (one
# latent factor; item q6 loads weakly), about 4% of answers missing completely at random.
# Made once in Python with numpy.random.default_rng(20240611):
#   f ~ N(0, 1); latent_i = l_i f + sqrt(1 - l_i^2) e_i, l = (.8, .7, .75, .6, .65, .3);
#   answer = 1 + number of cut points (-1.3, -0.5, 0.3, 1.1) below latent_i;
#   each answer set missing with probability 0.04.
# tests/data/stats/realstats_alpha.csv: the 15 x 10 questionnaire of the Cronbach's alpha
# example at real-statistics.com (as shipped, in long form, with pingouin's datasets).
# tests/data/stats/attitude.csv: R's datasets::attitude (Chatterjee & Price 1977),
# written with write.csv(datasets::attitude, ..., row.names = FALSE).
suppressPackageStartupMessages(library(psych))
options(digits = 10)
likert <- read.csv("tests/data/stats/likert_items.csv")
realstats <- read.csv("tests/data/stats/realstats_alpha.csv")
attitude <- read.csv("tests/data/stats/attitude.csv")

show_alpha <- function(label, a) {
  cat("\n==", label, "\n")
  cat("raw_alpha", a$total$raw_alpha, "\n")
  cat("ase", a$total$ase, "\n")
  cat("feldt lower", unlist(a$feldt$lower.ci), " upper", unlist(a$feldt$upper.ci), "\n")
  cat("r.drop", a$item.stats$r.drop, "\n")
  cat("alpha.drop", a$alpha.drop$raw_alpha, "\n")
  cat("mean", a$item.stats$mean, "\n")
  cat("sd", a$item.stats$sd, "\n")
}

# psych::alpha(likert)   (use = "pairwise", n = all 240 rows for Feldt)
show_alpha("alpha(likert) pairwise", alpha(likert, warnings = FALSE))
# psych::alpha(na.omit(likert))   (listwise)
show_alpha("alpha(na.omit(likert)) listwise", alpha(na.omit(likert), warnings = FALSE))
# psych::alpha(realstats)  (check.keys = FALSE: items keyed as given)
show_alpha("alpha(realstats)", alpha(realstats, warnings = FALSE))

# Feldt interval at 90%: psych:::alpha.ci(alpha, n.obs, n.var, p.val = .10)
a <- alpha(likert, warnings = FALSE)$total$raw_alpha
ci90 <- psych:::alpha.ci(a, 240, 6, p.val = 0.10)
cat("\n== Feldt 90% likert pairwise: lower", unlist(ci90$lower.ci), " upper",
    unlist(ci90$upper.ci), "\n")

# McDonald's omega total from a one-factor ML model on the correlations:
# omega = (sum l)^2 / ((sum l)^2 + sum(1 - l^2))
omega_ml <- function(x) {
  fa1 <- factanal(x, factors = 1)
  l <- as.numeric(fa1$loadings)
  cat("loadings", l, "\n")
  cat("omega", sum(l)^2 / (sum(l)^2 + sum(fa1$uniquenesses)), "\n")
}
cat("\n== factanal(na.omit(likert), 1)\n"); omega_ml(na.omit(likert))
cat("\n== factanal(attitude, 1)\n"); omega_ml(attitude)
show_alpha("alpha(attitude)", alpha(attitude, warnings = FALSE))
