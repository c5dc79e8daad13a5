# Reference values for tests/test_stats_designs.py (did, its).
# Run from the project root: Rscript tests/r/designs.R   (R 4.2.2, sandwich 3.0-2, lmtest)
#
# The data in tests/data/stats/{did_branches,did_teams,its_monthly,its_weekly}.csv were
# drawn once in Python (numpy default_rng(20240604)) and written to CSV, so R and Python
# read identical numbers:
#   did_branches: 12 branches (B00-B05 improved), 2 waves, 6-10 respondents per branch and
#     wave; score = 3.2 + .3 T + .2 P + .5 TP + branch effect N(0,.4) + N(0,.9) + .01(age-45)
#   did_teams: 40 teams (even ones "new"), waves "before"/"after", 4 respondents each;
#     score = 7 + .4 T - .1 P + .6 TP + team effect N(0,.5) + N(0,1.2)
#   its_monthly: 48 months from 2021-01-01, intervention 2023-01 (t0 = 24), AR(1) (.5)
#     errors, .8 sin(2 pi t / 12) season; csat = 60 + .15 t + 3 P + .25 (t - 24) P
#   its_weekly: weeks 1..60, intervention week 31, AR(1) (.3) errors;
#     nps = 20 - .05 t - 4 P + .1 (t - 31) P
suppressMessages({library(sandwich); library(lmtest)})
options(digits = 12)
dir <- "tests/data/stats"
show <- function(label, ct, ci, term) {
  cat(sprintf("%-28s est %.12f se %.12f t %.12f p %.12g ci %.12f %.12f\n", label,
              ct[term, 1], ct[term, 2], ct[term, 3], ct[term, 4], ci[term, 1], ci[term, 2]))
}

# -- DiD ------------------------------------------------------------------------------
d <- read.csv(file.path(dir, "did_branches.csv"))
G <- length(unique(d$branch))
fit <- lm(score ~ treated * post, data = d)
V <- vcovCL(fit, cluster = ~branch, type = "HC1")
show("did branches cluster", coeftest(fit, vcov = V, df = G - 1),
     coefci(fit, vcov = V, df = G - 1), "treated:post")
V <- vcovHC(fit, type = "HC1")
show("did branches HC1", coeftest(fit, vcov = V), coefci(fit, vcov = V), "treated:post")
fit <- lm(score ~ treated * post + age + channel, data = d)
V <- vcovCL(fit, cluster = ~branch, type = "HC1")
show("did branches covariates", coeftest(fit, vcov = V, df = G - 1),
     coefci(fit, vcov = V, df = G - 1), "treated:post")
cat("cell means (T pre, T post, C pre, C post):",
    with(d, tapply(score, list(treated, post), mean))[c(2, 4, 1, 3)], "\n")

d <- read.csv(file.path(dir, "did_teams.csv"))
d$T <- as.numeric(d$group == "new"); d$P <- as.numeric(d$wave == "after")
G <- length(unique(d$team))
fit <- lm(score ~ T * P, data = d)
V <- vcovCL(fit, cluster = ~team, type = "HC1")
show("did teams cluster", coeftest(fit, vcov = V, df = G - 1),
     coefci(fit, vcov = V, df = G - 1), "T:P")

# -- ITS ------------------------------------------------------------------------------
its_fit <- function(label, y, t, t0, L, season = NULL) {
  P <- as.numeric(t >= t0); TP <- (t - t0) * P
  fit <- if (is.null(season)) lm(y ~ t + P + TP) else lm(y ~ t + P + TP + factor(season))
  V <- NeweyWest(fit, lag = L, prewhite = FALSE, adjust = TRUE)
  ct <- coeftest(fit, vcov = V); ci <- coefci(fit, vcov = V)
  show(paste(label, "level"), ct, ci, "P")
  show(paste(label, "slope"), ct, ci, "TP")
  show(paste(label, "pre-trend"), ct, ci, "t")
  k <- setNames(rep(0, length(coef(fit))), names(coef(fit))); k[c("t", "TP")] <- 1
  cat(sprintf("%-28s est %.12f se %.12f\n", paste(label, "post-trend"), sum(k * coef(fit)),
              sqrt(drop(k %*% V %*% k))))
}
m <- read.csv(file.path(dir, "its_monthly.csv"))
lt <- as.POSIXlt(as.Date(m$month)); mi <- lt$year * 12 + lt$mon; t <- mi - mi[1]
L <- floor(4 * (nrow(m) / 100)^(2 / 9)); cat("monthly default lag", L, "\n")   # 3
its_fit("its monthly", m$csat, t, 24, L)
its_fit("its monthly lag6", m$csat, t, 24, 6)
its_fit("its monthly seasonal", m$csat, t, 24, L, season = lt$mon + 1)
g <- m[-c(6, 7, 30), ]                      # drop 2021-06, 2021-07 and 2023-06: a gap
lg <- as.POSIXlt(as.Date(g$month)); gi <- lg$year * 12 + lg$mon
L <- floor(4 * (nrow(g) / 100)^(2 / 9)); cat("gap default lag", L, "\n")       # 3
its_fit("its monthly gap", g$csat, gi - gi[1], 24, L)
w <- read.csv(file.path(dir, "its_weekly.csv"))
L <- floor(4 * (nrow(w) / 100)^(2 / 9)); cat("weekly default lag", L, "\n")    # 3
its_fit("its weekly", w$nps, w$week - 1, 30, L)

# -- ITS with AR(1) errors: regression with ARMA(1, 0) errors by exact ML ----------------
# y on the full grid of periods (NA where a period is missing; its xreg row is 0, which
# the likelihood never uses). Printed: estimate, se, z, two-sided normal p, 95% Wald ci.
its_ar1 <- function(label, y, t, t0, season = NULL) {
  full <- rep(NA_real_, max(t) + 1); full[t + 1] <- y
  tt <- 0:max(t); P <- as.numeric(tt >= t0); TP <- (tt - t0) * P
  X <- cbind(t = tt, P = P, TP = TP)
  if (!is.null(season)) {
    S <- rep(0, length(tt)); S[t + 1] <- season
    for (s in sort(unique(season))[-1]) X <- cbind(X, as.numeric(S == s))
  }
  X[is.na(full), ] <- 0
  fit <- arima(full, order = c(1, 0, 0), xreg = X, method = "ML",
               optim.control = list(maxit = 2000, reltol = 1e-12))
  b <- coef(fit); se <- sqrt(diag(fit$var.coef))
  for (term in c("P", "TP", "t")) {
    z <- b[term] / se[term]
    cat(sprintf("%-28s est %.12f se %.12f z %.12f p %.12g ci %.12f %.12f\n",
                paste(label, "ar1", term), b[term], se[term], z, 2 * pnorm(-abs(z)),
                b[term] - qnorm(.975) * se[term], b[term] + qnorm(.975) * se[term]))
  }
  cat(sprintf("%-28s est %.12f\n", paste(label, "ar1 rho"), b["ar1"]))
}
its_ar1("its monthly", m$csat, t, 24)
its_ar1("its monthly seasonal", m$csat, t, 24, season = lt$mon + 1)
its_ar1("its monthly gap", g$csat, gi - gi[1], 24)
its_ar1("its weekly", w$nps, w$week - 1, 30)
