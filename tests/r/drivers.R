# R reference values for tests/test_stats_drivers.py (key drivers).
# Run from the repository root:  Rscript tests/r/drivers.R
# R 4.2, base R only (stats::lm, eigen, cov.wt): relaimpo and rwa are not installed here,
# so both decompositions are written out from their definitions, independently of the
# Python code (which works from the correlation matrix; this script refits lm on rows).
#
# LMG (Lindeman, Merenda & Gold 1980; Groemping 2006, JSS 17(1), relaimpo type "lmg"):
#   LMG_j = sum over subsets S of the other drivers of
#           |S|! (k - |S| - 1)! / k! * (R2(S + j) - R2(S)),
#   with R2(S) = summary(lm(y ~ S))$r.squared (R2 of the empty set = 0).
# Relative weights (Johnson 2000; the formula of rwa::rwa):
#   eigen(Rxx) = Q diag(ev) Q';  L = Q diag(sqrt(ev)) Q';  beta = L^-1 rxy;
#   raw weight = (L^2) %*% beta^2;  R2 = sum(beta^2).
#
# tests/data/stats/drivers_swiss.csv and drivers_mtcars.csv: R's datasets::swiss and
# datasets::mtcars for the Python side, written once with
#   write.csv(datasets::swiss, "tests/data/stats/drivers_swiss.csv", row.names = FALSE)
#   write.csv(datasets::mtcars, "tests/data/stats/drivers_mtcars.csv", row.names = FALSE)
# (this script uses the built-in data sets themselves).
# tests/data/stats/drivers_touchpoints.csv: 400 seeded answers, made once in Python with
# numpy.random.default_rng(20250214):
#   disposition ~ N(0, 0.6); latent_tj = disposition + N(0, 0.8) for six touchpoints;
#   sat_t = 1 + number of cut points (-1.3, -0.5, 0.3, 1.1) below latent_t (1-5);
#   overall = latent %*% (0.2, 0.9, 0.1, 0.3, 0.6, 0.7) + N(0, 1);
#   nps = clip(round(6.5 + 1.4 overall), 0, 10);
#   each driver answer missing with probability 0.03, nps with 0.02;
#   weight ~ U(0.5, 2) rounded to 3 decimals (never missing).
options(digits = 10)

r2_of <- function(data, y, xs, w = NULL) {
  if (length(xs) == 0) return(0)
  f <- reformulate(xs, response = y)
  if (is.null(w)) summary(lm(f, data = data))$r.squared
  else summary(lm(f, data = data, weights = w))$r.squared
}

lmg <- function(data, y, xs, w = NULL) {
  k <- length(xs)
  out <- setNames(numeric(k), xs)
  for (j in seq_len(k)) {
    others <- xs[-j]
    for (s in 0:(k - 1)) {
      weight <- factorial(s) * factorial(k - s - 1) / factorial(k)
      sets <- if (s == 0) list(character(0)) else combn(others, s, simplify = FALSE)
      for (S in sets) {
        out[j] <- out[j] + weight * (r2_of(data, y, c(S, xs[j]), w) - r2_of(data, y, S, w))
      }
    }
  }
  out
}

relweights <- function(R, y, xs) {
  rxx <- R[xs, xs]; rxy <- R[xs, y]
  e <- eigen(rxx)
  lambda <- e$vectors %*% diag(sqrt(e$values)) %*% t(e$vectors)
  beta <- solve(lambda) %*% rxy
  raw <- as.numeric(lambda^2 %*% beta^2)
  list(raw = setNames(raw, xs), r2 = sum(beta^2))
}

show <- function(label, values) {
  cat(label, ":", format(values, digits = 10), "\n")
}

# -- swiss: Fertility on the other five ---------------------------------------------------
xs <- c("Agriculture", "Examination", "Education", "Catholic", "Infant.Mortality")
cat("\n== swiss\n")
show("R2 summary(lm(Fertility ~ ., swiss))$r.squared", r2_of(swiss, "Fertility", xs))
show("lmg", lmg(swiss, "Fertility", xs))
rw <- relweights(cor(swiss), "Fertility", xs)
show("relweights raw", rw$raw)
show("relweights r2", rw$r2)

# -- mtcars: the rwa README example, mpg ~ cyl + disp + hp + gear ---------------------------
xs <- c("cyl", "disp", "hp", "gear")
cat("\n== mtcars mpg ~ cyl + disp + hp + gear\n")
show("R2", r2_of(mtcars, "mpg", xs))
show("lmg", lmg(mtcars, "mpg", xs))
rw <- relweights(cor(mtcars), "mpg", xs)
show("relweights raw", rw$raw)
show("relweights rescaled (% of R2)", rw$raw / rw$r2 * 100)

# -- mtcars: mpg on all ten others (1,024 subsets) ------------------------------------------
xs <- setdiff(names(mtcars), "mpg")
cat("\n== mtcars mpg ~ . (10 drivers)\n")
show("R2", r2_of(mtcars, "mpg", xs))
show("lmg", lmg(mtcars, "mpg", xs))
show("relweights raw", relweights(cor(mtcars), "mpg", xs)$raw)

# -- seeded survey data: listwise complete rows, unweighted and weighted --------------------
tp <- read.csv("tests/data/stats/drivers_touchpoints.csv")
xs <- c("sat_report", "sat_call", "sat_visit", "sat_documents", "sat_decision", "sat_payout")
cc <- na.omit(tp)
cat("\n== drivers_touchpoints.csv (na.omit)\n")
show("rows kept / dropped", c(nrow(cc), nrow(tp) - nrow(cc)))
show("R2", r2_of(cc, "nps", xs))
show("lmg", lmg(cc, "nps", xs))
rw <- relweights(cor(cc[, c("nps", xs)]), "nps", xs)
show("relweights raw", rw$raw)
cat("\n== drivers_touchpoints.csv weighted (lm weights = weight; cov.wt(cor = TRUE))\n")
show("R2", r2_of(cc, "nps", xs, cc$weight))
show("lmg", lmg(cc, "nps", xs, cc$weight))
Rw <- cov.wt(cc[, c("nps", xs)], wt = cc$weight, cor = TRUE)$cor
rw <- relweights(Rw, "nps", xs)
show("relweights raw", rw$raw)
show("relweights r2", rw$r2)
