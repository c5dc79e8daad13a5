# Reference values for tests/test_stats_alignment.py (R 4.2, lme4 from r-cran-lme4).
# Rscript tests/r/alignment.R  (from the repository root)
suppressMessages(library(lme4))
d <- read.csv("tests/data/stats/alignment.csv")
d$cell <- paste(d$touchpoint, d$team, sep = " | ")
for (g in c("cell", "team")) {
  f <- as.formula(paste0("y ~ enablement + touchpoint + (1 | ", g, ")"))
  m <- lmer(f, data = d, REML = TRUE)
  s <- summary(m)$coefficients
  vc <- as.data.frame(VarCorr(m))
  cat(g, "slope", sprintf("%.8f", s["enablement", "Estimate"]), "se", sprintf("%.8f", s["enablement", "Std. Error"]),
      "group var", sprintf("%.8f", vc$vcov[1]), "resid var", sprintf("%.8f", vc$vcov[2]),
      "REML", sprintf("%.6f", REMLcrit(m)), "\n")
}
