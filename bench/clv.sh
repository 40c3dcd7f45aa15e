#!/usr/bin/env bash
# Fit the BG/NBD, Gamma-Gamma and Pareto/NBD models to the CDNOW summary and the
# shifted-beta-geometric model to Fader & Hardie's (2007) "regular" cohort with
# journey/clv (Go), then the same likelihoods with scipy's BFGS on vectorized numpy
# log-likelihoods (bench/clv_scipy.py), one after the other in one run, and print the
# times. Needs ../shared/data/cdnow_summary.csv next to the module root and
# /usr/bin/python3 with numpy and scipy.
set -euo pipefail
cd "$(dirname "$0")/.."
count="${COUNT:-5}"
echo "== Go: journey/clv fits (-count $count)"
go test -run '^$' -bench 'Fit(BGNBD|GammaGamma|ParetoNBD)CDNOW|FitShiftedBetaGeometric' -benchmem -count "$count" ./journey/clv/
echo "== scipy: bench/clv_scipy.py"
/usr/bin/python3 bench/clv_scipy.py ../shared/data/cdnow_summary.csv 10
