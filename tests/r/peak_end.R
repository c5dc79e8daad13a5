# Reference values for tests/test_stats_peakend.py (R 4.2, base stats only).
# Rscript tests/r/peak_end.R  (from the repository root)
d <- read.csv("tests/data/stats/peak_end.csv")
tp <- as.matrix(d[, c("tp1", "tp2", "tp3", "tp4")])
mid <- 3
per <- t(apply(tp, 1, function(x) {
  ok <- which(!is.na(x))
  if (length(ok) < 2) return(c(NA, NA, NA))
  dist <- abs(x[ok] - mid)
  peak <- x[ok][max(which(dist == max(dist)))]   # ties: the later touchpoint
  c(peak, x[ok][length(ok)], mean(x[ok]))
}))
d$peak <- per[, 1]; d$end <- per[, 2]; d$mean <- per[, 3]
d <- d[!is.na(d$peak) & !is.na(d$overall), ]
cat("n", nrow(d), "\n")
m_mean <- lm(overall ~ mean, data = d)
m_pe <- lm(overall ~ peak + end, data = d)
m_full <- lm(overall ~ peak + end + mean, data = d)
for (m in list(m_mean, m_pe, m_full)) {
  s <- summary(m)
  cat(deparse(formula(m)), "r2", sprintf("%.10f", s$r.squared), "adj", sprintf("%.10f", s$adj.r.squared),
      "AIC", sprintf("%.8f", AIC(m)), "BIC", sprintf("%.8f", BIC(m)), "coef", sprintf("%.8f", coef(m)), "\n")
}
a <- anova(m_mean, m_full)
cat("anova F", sprintf("%.8f", a$F[2]), "p", sprintf("%.10g", a$`Pr(>F)`[2]), "df", a$Df[2], a$Res.Df[2], "\n")
cat("partial R2", sprintf("%.10f", (deviance(m_mean) - deviance(m_full)) / deviance(m_mean)), "\n")
# Davidson-MacKinnon J-test by hand (as lmtest::jtest): t of the other model's fit
j1 <- summary(lm(overall ~ mean + fitted(m_pe), data = d))$coefficients[3, ]
j2 <- summary(lm(overall ~ peak + end + fitted(m_mean), data = d))$coefficients[4, ]
cat("J pe->mean t", sprintf("%.8f", j1[3]), "p", sprintf("%.10g", j1[4]), "\n")
cat("J mean->pe t", sprintf("%.8f", j2[3]), "p", sprintf("%.10g", j2[4]), "\n")
